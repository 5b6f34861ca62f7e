"""One source of the layout facts (hotline.render.layout): every class a template, the
stylesheet or a writer uses is registered there, and the stylesheet, the Typst template and
the Word writer read their pages and tables from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hotline.render import doctree, docx, flavours, layout, typeset

RENDER = Path(typeset.__file__).parent
TEMPLATES = flavours.templates_dir()
# JupyterLab's and CodeMirror's own classes, which lab.css styles
FOREIGN = re.compile(r"^(jp|cm|lm)-")


def _template_classes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((TEMPLATES / "markup").glob("*.j2")):
        text = path.read_text(encoding="utf-8")
        values = [m.group(1) for m in re.finditer(r'class="([^"]*)"', text)]
        values += [m.group(1) for m in re.finditer(r"""\bcls\s*=\s*["']([^"']*)["']""", text)]
        for value in values:
            for cls in re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value).split():
                found.setdefault(cls, set()).add(path.name)
    return found


def _stylesheet_classes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    sheets = {p.name: p.read_text(encoding="utf-8") for p in (TEMPLATES / "bulletin").glob("*.css")}
    sheets["layout.css.j2"] = flavours.layout_stylesheet()
    for name, text in sheets.items():
        text = re.sub(r'/\*.*?\*/|"[^"]*"', "", text, flags=re.S)
        for m in re.finditer(r"\.([A-Za-z][\w-]*)", text):
            if not FOREIGN.match(m.group(1)):
                found.setdefault(m.group(1), set()).add(name)
    return found


def _typst_classes() -> set[str]:
    text = (TEMPLATES / "typst" / "bulletin.typ").read_text(encoding="utf-8")
    return set(re.findall(r'has\(b, "([^"]+)"\)', text))


def _python_classes() -> dict[str, set[str]]:
    """Class names the renderers write (cls=… arguments and defaults) or test ("x" in ….cls)."""
    found: dict[str, set[str]] = {}
    for path in sorted(RENDER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            strings: list[ast.AST] = []
            if isinstance(node, ast.keyword) and node.arg == "cls":
                strings = [node.value]
            elif isinstance(node, ast.arguments):
                names = [a.arg for a in node.args[len(node.args) - len(node.defaults):]]
                strings = [d for n, d in zip(names, node.defaults) if n == "cls"]
            elif (isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In)
                  and "cls" in ast.unparse(node.comparators[0])):
                strings = [node.left]
            for s in strings:
                for const in ast.walk(s):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        for cls in const.value.split():
                            if not cls.startswith("{"):
                                found.setdefault(cls, set()).add(path.name)
    return found


def _writer_maps() -> set[str]:
    """The classes the Word writer and the document tree dispatch on."""
    return (set(docx._HEADING_BY_CLASS) | set(docx._PARAGRAPH_BY_CLASS) | docx._NO_INDENT_CLASSES
            | set(doctree.PAGE_CLASSES) | doctree._PRINT_HIDDEN | set(layout.TABLES) | set(layout.KEEP_TABLES)
            | set(layout.NOWRAP_CELLS) | set(layout.NOWRAP_UNIT_TABLES) | set(layout.SHORT_HEADS)
            | set(layout.CENTRED_TABLES))


def test_every_class_used_is_registered_and_every_registered_class_used():
    used: dict[str, set[str]] = {}
    for found in (_template_classes(), _stylesheet_classes(), _python_classes()):
        for cls, where in found.items():
            used.setdefault(cls, set()).update(where)
    for cls in _typst_classes():
        used.setdefault(cls, set()).add("bulletin.typ")
    for cls in _writer_maps():
        used.setdefault(cls, set()).add("a writer's class map")
    unknown = {cls: sorted(where) for cls, where in used.items() if cls not in layout.CLASSES}
    assert not unknown, f"classes not in hotline.render.layout.CLASSES: {unknown}"
    assert not set(layout.CLASSES) - set(used), "registered but used nowhere"


def test_the_scan_sees_each_kind_of_use():
    """The scans find what they are meant to (a scan that found nothing would pass the test above)."""
    assert {"doc-head", "attachment-ref"} <= set(_template_classes())
    assert {"red-title", "table-wrap", "num"} <= set(_stylesheet_classes())
    assert {"appendix-label", "ids", "story-title"} <= _typst_classes()
    assert {"scores", "group", "item", "changes", "red", "unit"} <= set(_python_classes())


def _css_pages(css: str) -> dict[str, tuple[str, list[float], float, float]]:
    pages = {}
    for m in re.finditer(r"@page( \w+)? \{\s*size: A4 (\w+);\s*margin: ([^;]+);\s*@bottom-center \{ font-size: "
                         r"([\d.]+)pt; vertical-align: top; padding-top: ([\d.]+)mm; \}", css):
        pages[(m.group(1) or " portrait").strip()] = (
            m.group(2), [float(x.removesuffix("mm")) for x in m.group(3).split()], float(m.group(4)), float(m.group(5)))
    return pages


def test_the_stylesheet_pages_and_tables_are_the_layouts():
    css = flavours.stylesheet()
    pages = _css_pages(css)
    assert set(pages) == set(layout.PAGES)
    for name, p in layout.PAGES.items():
        orientation, (top, right, bottom, left), number, descent = pages[name]
        assert orientation == ("landscape" if p.landscape else "portrait")
        assert (top, right, bottom, left, number, descent) == (p.top, p.right, p.bottom, p.left, p.number, p.descent)
    assert "page: landscape" in css  # the 附件 print on the landscape page
    assert f"table.scores {{ font-size: {layout.TABLES['scores'].size}pt;" in css
    # the layout's rules come before bulletin.css, whose phone rules override them
    assert css.index("table.scores { font-size") < css.rindex("table.scores, table.units { font-size: 12px")


def test_the_word_sections_are_the_layouts(tmp_path):
    page = ('<main><header class="doc-head"><p class="remarks">领导批示：</p></header><p>正文。</p>'
            '<section class="appendix-part"><table class="grid scores units"><tr><td>a</td></tr></table></section></main>')
    from docx import Document

    path = tmp_path / "page.docx"
    path.write_bytes(docx.html_to_docx(page))
    sections = Document(str(path)).sections
    for section, name in zip(sections, ("portrait", "landscape")):
        p = layout.PAGES[name]
        got = [round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")]
        assert got == [p.top, p.bottom, p.left, p.right], name
        # the number's top `descent` below the text block, a 4号 line high
        assert section.footer_distance.mm == pytest.approx(p.bottom - p.descent - p.number * 1.2 * 25.4 / 72, abs=0.05)
        assert (section.page_width > section.page_height) == p.landscape


def test_the_pdf_reads_the_layout():
    data, _ = typeset.document_data(doctree.parse("<main><p>正文。</p></main>"))
    assert data["layout"]["pages"]["landscape"]["left"] == layout.PAGES["landscape"].left
    assert data["layout"]["tables"]["scores"]["size"] == layout.TABLES["scores"].size
    template = (TEMPLATES / "typst" / "bulletin.typ").read_text(encoding="utf-8")
    pages = template.split("// ---------------------------------------------------------------- text")[0]
    code = "\n".join(line for line in pages.splitlines() if not line.lstrip().startswith("//"))
    # a length in mm other than the unit the layout's figures are multiplied by
    assert not re.findall(r"(?<![\w.])(?!1mm\b)\d+(?:\.\d+)?mm\b", code), "page lengths belong in hotline.render.layout"


def test_the_portrait_grid_is_22_lines_of_28_characters():
    p = layout.PAGES["portrait"]
    assert p.text_width_pt == pytest.approx(156 * layout.MM) and p.text_height_pt == pytest.approx(225 * layout.MM)
    assert (p.size + p.tracking) * layout.CHARS <= p.text_width_pt < (p.size + p.tracking) * (layout.CHARS + 1)
    assert p.tracking * 20 == int(p.tracking * 20)  # Word's twentieths of a point
    assert p.pitch * layout.LINES == pytest.approx(p.text_height_pt, abs=1)
