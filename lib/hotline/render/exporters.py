"""nbconvert exporters for the bulletin: self-contained HTML, PDF through Typst, Word.

Registered as entry points (group ``nbconvert.exporters``), so each works from the shell::

    jupyter nbconvert --to bulletin_html output/.../bulletin.ipynb
    jupyter nbconvert --to bulletin_pdf  output/.../bulletin.ipynb
    jupyter nbconvert --to bulletin_docx output/.../bulletin.ipynb

The HTML holds only the notebook's display outputs (no code, no prompts, no markdown
narration, no cells tagged ``analyst``; cells tagged ``analysis`` only in the analysis
flavour, ``--BulletinHTMLExporter.flavour=analysis``), the bulletin stylesheet and the Chinese fonts
as subset data: URIs; no script and nothing fetched from the network. The PDF is that
HTML's document tree set by Typst (no LaTeX, no browser; hotline.render.typeset): A4, 公文-style
head, "— 1 —" page numbers, landscape appendix pages, table headers repeated across pages. The
Word document is that HTML written by python-docx (hotline.render.docx), set up as a 公文.

From ``jupyter nbconvert`` the files are written whole or not at all (AtomicFilesWriter, which
the exporters put in place of nbconvert's FilesWriter): a failure halfway, a full disk or a killed
process leaves the previous bulletin as it was, never a half-written one.
"""

from __future__ import annotations

import base64
import html as html_lib
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.writers.files import FilesWriter
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output
from traitlets import Enum, default

from hotline import atomic
from hotline.render import doctree, fonts, typeset
from hotline.render.docx import html_to_docx, tree_to_docx
from hotline.render.flavours import FLAVOURS, OFFICIAL, TEMPLATE_NAME, in_flavour, stylesheet, templates_dir, visible_text
from hotline.render.flavours import TAG as _TAG
from hotline.render.markup import render
from hotline.render.sections import markdown_html
from hotline.render.typeset import html_to_pdf

LOG = logging.getLogger(__name__)
_TITLE = re.compile(r'<h1 class="doc-title">(.*?)</h1>', re.S)
DEFAULT_TITLE = "12345政务热线情况通报"


def finish_html(body: str) -> str:
    """The page around the notebook's outputs `body`: titled by the document's title, with
    the stylesheet and the fonts subset to the text."""
    m = _TITLE.search(body)
    title = html_lib.unescape(_TAG.sub("", m.group(1))).strip() if m else DEFAULT_TITLE
    css = fonts.font_face_css(visible_text(body) + title) + "\n" + stylesheet()
    # The outputs are the notebook's HTML as made by hotline.render.sections, the CSS our own: markup, not text.
    return str(render("page.html.j2", title=title, css=Markup(css), body=Markup(body)))


class _Notes(list[str]):
    """The outputs left out of one export. nbconvert copies the resources (deep) while it
    renders; every copy must note into this one list."""

    def __copy__(self) -> _Notes:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Notes:
        return self


def _note(notes: list[str], cell: Mapping[str, Any], what: str) -> str:
    """Note an output the page cannot hold (the template calls this where it would be)."""
    number = cell.get("execution_count")
    notes.append(f"单元格 [{number if number is not None else '?'}] 的 {what} 输出")
    return ""


class AtomicFilesWriter(FilesWriter):
    """nbconvert's FilesWriter, every file written to a temporary file in its own folder and then
    os.replace()d over the target: a reader (a browser, a mail client, the index page) sees the
    previous file or the new one, never a part of one. The default writer of ``jupyter nbconvert
    --to bulletin_*``; named, it serves any exporter: ``--writer hotline.render.exporters.AtomicFilesWriter``."""

    def _write_items(self, items: Iterable[tuple[str, bytes]], build_dir: str) -> None:
        """The support files (extracted outputs, attachments), each atomically."""
        for filename, data in items:
            dest = Path(build_dir) / filename
            self._makedir(str(dest.parent))
            self.log.debug("Writing %i bytes to %s", len(data), dest)
            atomic.write_bytes(dest, data)

    def _destination(self, resources: dict[str, Any], notebook_name: str) -> Path:
        """Where FilesWriter.write puts the result for `notebook_name` (the same rule)."""
        extension = resources.get("output_extension")
        name = notebook_name + extension if extension is not None else notebook_name
        return Path(self.build_directory or resources.get("metadata", {}).get("path", "")) / name

    def write(self, output: str | bytes, resources: dict[str, Any], notebook_name: str | None = None, **kw: Any) -> Path:
        if notebook_name is None:
            raise TypeError("notebook_name")
        folder, name = os.path.split(notebook_name)
        temporary = os.path.join(folder, atomic.temporary_name(name))
        target, written = self._destination(resources, notebook_name), self._destination(resources, temporary)
        try:
            super().write(output, resources, notebook_name=temporary, **kw)  # all of it, into the temporary
            os.replace(written, target)
        finally:
            written.unlink(missing_ok=True)
        self.log.info("Renamed to %s", target)
        return target


def _write_atomically() -> None:
    """In ``jupyter nbconvert`` (an NbConvertApp running), its writer made an AtomicFilesWriter
    if it is nbconvert's plain FilesWriter (the default): an exporter cannot name its writer, but
    the app has made its writer before it makes the exporter. Another writer (--stdout, a
    --writer of one's own) is left as it is; outside the app (`hotline run`) nothing changes."""
    # getattr: nbconvertapp makes every exporter once while it defines NbConvertApp (get_export_names)
    app_class = getattr(sys.modules.get("nbconvert.nbconvertapp"), "NbConvertApp", None)
    if app_class is None or not app_class.initialized():
        return
    app = app_class.instance()
    if type(app.writer) is FilesWriter:
        old = app.writer
        app.writer = AtomicFilesWriter(parent=app, build_directory=old.build_directory, relpath=old.relpath,
                                       files=list(old.files))


class BulletinHTMLExporter(HTMLExporter):
    """The bulletin as one self-contained HTML file (``--to bulletin_html``)."""

    export_from_notebook = "Bulletin HTML (情况通报)"
    flavour = Enum(FLAVOURS, default_value=OFFICIAL,
                   help="official: the bulletin as circulated; analysis: also the cells tagged 'analysis'").tag(config=True)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _write_atomically()

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(templates_dir())]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def _init_resources(self, resources: dict[str, Any] | None) -> dict[str, Any]:
        resources = super()._init_resources(resources)
        if getattr(self, "left_out", None) is None:  # a resources dict made outside from_notebook_node
            self.left_out = _Notes()
        notes = self.left_out
        resources["hotline"] = {"flavour": self.flavour, "in_flavour": lambda cell: in_flavour(cell, self.flavour),
                                "left_out": lambda cell, what: _note(notes, cell, what)}
        return resources

    # the page's text, not a notebook node (as nbconvert's own HTMLExporter)
    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,  # type: ignore[override]
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        # Not HTMLExporter.from_notebook_node: after rendering it parses the whole page again with
        # BeautifulSoup to add alt texts and tabindex to JupyterLab's cell markup, which the
        # bulletin has none of (a tenth of a second per page). Its one filter the template uses:
        self.left_out = _Notes()  # this export's own
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        self.register_filter("bulletin_markdown", markdown_html)
        self.register_filter("base64", lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii"))
        output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        for what in self.left_out:
            LOG.warning("%s不能放进通报，已略去（给该单元格加 analyst 标签，或改用 display 显示）", what)
        return finish_html(output), resources


# A page with each kind of block and face the bulletin sets, for warm_up.
_WARM_UP_PAGE = ('<h1 class="doc-title">情况通报</h1><h2>一、全市排名</h2><p>本月<b>签收</b>工单。</p>'
                 '<table class="scores"><tr><th>单位</th><th>总分</th></tr><tr><td class="unit">街道</td>'
                 '<td>98.5</td></tr></table>')


def warm_up(flavours: Iterable[str] = FLAVOURS) -> None:
    """Export a small page of each of `flavours` through the whole chain (page template, font
    subsets, document tree, Typst, Word), so that the first real export pays for none of the
    imports, template compilations and font reads; `hotline run` calls this on the idle core while
    the notebook runs."""
    output = new_output("display_data", data={"text/html": _WARM_UP_PAGE})
    nb = new_notebook(cells=[new_code_cell(outputs=[output])])
    for flavour in flavours:
        html, _ = BulletinHTMLExporter(flavour=flavour).from_notebook_node(nb)
    tree = doctree.parse(html)
    typeset.tree_to_pdf(tree)
    tree_to_docx(tree)


class _MadeFromTheHTML(BulletinHTMLExporter):
    """An exporter of another format, made from the bulletin HTML (the same page template) in the
    district's faces (the font setup the notebook carries, hotline.render.fonts.notebook_setup):
    subclasses name the format's extension and the function that converts the page."""

    extension = ""

    @staticmethod
    def convert(html: str, setup: fonts.FontSetup) -> bytes:
        raise NotImplementedError

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return self.extension

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"  # the same page template as the HTML

    # the page's bytes where the HTML exporter gives its text: nbconvert writes either
    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,  # type: ignore[override]
                           **kw: Any) -> tuple[bytes, dict[str, Any]]:
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = self.extension
        return self.convert(html, fonts.notebook_setup(nb)), resources


class BulletinPDFExporter(_MadeFromTheHTML):
    """The bulletin as PDF (``--to bulletin_pdf``): the bulletin HTML's document tree set by Typst."""

    export_from_notebook = "Bulletin PDF (情况通报)"
    output_mimetype = "application/pdf"
    extension = ".pdf"
    convert = staticmethod(html_to_pdf)


class BulletinDocxExporter(_MadeFromTheHTML):
    """The bulletin as a Word document (``--to bulletin_docx``): the bulletin HTML through
    python-docx (hotline.render.docx), A4 in the manner of GB/T 9704."""

    export_from_notebook = "Bulletin Word (情况通报)"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = ".docx"
    convert = staticmethod(html_to_docx)
