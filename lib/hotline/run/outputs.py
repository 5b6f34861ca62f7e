"""The one writer of a month's files (names from hotline.config): tables, workbook, unit pages,
the input report, each flavour's HTML and PDF, the official flavour's Word document.

The notebook's last cell calls :func:`write_month_files` with what it computed; `hotline run`
writes the exports and the executed notebook into the same (temporary) folder and publishes
it whole (hotline.run.publish).
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hotline import config
from hotline.inputs.validation_report import format_report
from hotline.render import excel, fonts
from hotline.render.flavours import visible_text
from hotline.render.model import Bulletin, summary
from hotline.render.tables import frame_of

if TYPE_CHECKING:  # the analysis flavour's modules load only when a month has unit pages
    from hotline.render.analysis import UnitFile

# A text cell a spreadsheet would take for a formula (=, +, -, @, or a tab or CR first), unless it is a number.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")
FORMULA_GUARD = "'"  # the spreadsheet convention: shown as text, the apostrophe itself hidden


def spreadsheet_text(value: object) -> object:
    """`value`, with an apostrophe before a text that Excel or WPS would run as a formula
    ("=HYPERLINK(…)", "+cmd|…", "-2+3"); numbers, plain text and a lone "-" unchanged."""
    if isinstance(value, str) and len(value) > 1 and _FORMULA_START.match(value) and not _NUMBER.match(value):
        return FORMULA_GUARD + value
    return value


def _guarded(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every text cell and column name passed through spreadsheet_text."""
    table = table.rename(columns=spreadsheet_text)
    text = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    return table.assign(**{c: table[c].map(spreadsheet_text) for c in text}) if text else table


def write_tables(b: Bulletin, out_dir: Path) -> list[Path]:
    """Every table of bulletin `b` as CSV (UTF-8 with BOM, for Excel; text that a spreadsheet would
    run as a formula guarded by spreadsheet_text) and summary.json, into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, file in config.TABLE_FILES.items():
        table = b.text.tables.get(name)
        if table is None:
            continue
        path = out_dir / file
        _guarded(frame_of(table)).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(path)
    path = out_dir / config.SUMMARY_FILE
    path.write_text(json.dumps(summary(b), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, path]


def write_month_files(b: Bulletin, out_dir: Path, workspace: Path,
                      unit_pages: Iterable[UnitFile] | None = None) -> list[Path]:
    """A month's files besides its notebook and exports: tables/, the workbook, units/ (the
    analysis flavour's pages, hotline.render.analysis.unit_pages, each also as PDF) and the input report."""
    out_dir = Path(out_dir)
    setup = fonts.font_setup(b.settings.fonts, workspace)
    written = write_tables(b, out_dir / config.TABLES_DIR)
    workbook = out_dir / config.WORKBOOK_FILE
    workbook.write_bytes(excel.workbook(b))
    written.append(workbook)
    if unit_pages is not None:
        written += write_unit_pages(out_dir / config.UNITS_DIR, unit_pages, setup)
    report = out_dir / config.REPORT_FILE
    title = f"{b.settings.district} {b.month}"
    notes = {"字体": fonts.setup_report(setup)}
    report.write_text(format_report(title, [], b.warnings, base=workspace, notes=notes), encoding="utf-8")
    return [*written, report]


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused in the block: a unit's page, a flavour's tree
    and its PDF and Word data make no cyclic garbage (their objects go when written), and the
    collector's passes over everything the process holds (the kernel's month, the runner's
    notebook) took a third of a city's 500 pages' time (4 s) and half its PDF data's."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_unit_pages(folder: Path, pages: Iterable[UnitFile], setup: fonts.FontSetup | None = None) -> list[Path]:
    """Each unit's drill-down page (hotline.render.analysis.unit_pages) as HTML and, to send to the
    unit on its own, as PDF beside it, set in the faces of `setup` by worker processes while the
    next pages are made (hotline.render.pdf_workers); then their shared stylesheet, its fonts
    subset to the text of them all."""
    from hotline.render.analysis import units_stylesheet  # as above
    from hotline.render.pdf_workers import PDFWorkers  # as above

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    seen: set[str] = set()  # the characters of every page
    with PDFWorkers(setup) as pdfs, cycle_collection_paused():
        for page in pages:
            html = folder / page.name
            html.write_text(page.html, encoding="utf-8")
            seen.update(visible_text(page.html))
            pdfs.submit(page.tree, html.with_suffix(".pdf"))
            written += [html, html.with_suffix(".pdf")]
    css = folder / config.UNIT_CSS_FILE
    css.write_text(units_stylesheet("".join(sorted(seen))), encoding="utf-8")
    return [*written, css]


def write_flavour(folder: Path, flavour: str, html: str | None = None, pdf: bytes | None = None,
                  docx: bytes | None = None) -> None:
    """One flavour's HTML, PDF or Word document (hotline.render.exporters), under its name in `folder`."""
    html_name, pdf_name = config.FLAVOUR_FILES[flavour]
    if html is not None:
        (Path(folder) / html_name).write_text(html, encoding="utf-8")
    if pdf is not None:
        (Path(folder) / pdf_name).write_bytes(pdf)
    if docx is not None:
        (Path(folder) / config.DOCX_FILES[flavour]).write_bytes(docx)
