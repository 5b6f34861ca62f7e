"""The units' own pages (units/<全称>.html and .pdf): each page's document tree is built beside its
HTML, the same tree the parser reads from that HTML; the pages are made one at a time; their
PDFs are set by worker processes (hotline.render.pdf_workers), the same bytes as in-process."""

from __future__ import annotations

import html as html_lib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline import config
from hotline.bulletin import load_history
from hotline.compute import trends
from hotline.compute.drilldown import unit_drilldowns
from hotline.inputs.workspace import load_workspace
from hotline.render import analysis, doctree, markup, typeset
from hotline.render.doctree import Run
from hotline.render.pdf_workers import PDFWorkers

# Text with the white space a browser collapses (and "\n", written as <br>) and markup's characters.
_TEXT = st.text(st.sampled_from(string.ascii_letters[:6] + "中文  \t\n\r<&>"), max_size=8)
RUNS = st.lists(st.builds(Run, _TEXT, bold=st.booleans(), small=st.booleans()), max_size=5)


def _markup(run: Run) -> str:
    text = "<br>".join(html_lib.escape(line) for line in run.text.split("\n"))
    text = f"<small>{text}</small>" if run.small else text
    return f"<b>{text}</b>" if run.bold else text


@given(RUNS)
def test_runs_read_back_as_the_parser_reads_their_markup(runs):
    """Joined, collapsed and trimmed as the parser does: read_back is what the page's parser gives."""
    page = "<p class='x'>" + "".join(_markup(r) for r in runs) + "</p>"
    blocks = doctree.parse(page).blocks
    expected = blocks[0].runs if blocks else []
    assert doctree.read_back(runs) == expected


@given(st.lists(st.lists(st.lists(_TEXT, min_size=1, max_size=2), min_size=1, max_size=3), min_size=1, max_size=3))
def test_a_table_reads_back_as_the_parser_reads_its_markup(rows):
    """Cells of one line or more, with white space to collapse or not: read_back_table is the table
    the page's parser gives (the table itself when nothing in it changes)."""
    table = doctree.Table([doctree.Row([doctree.text_cell(lines, header=i == 0) for lines in cells], header=i == 0)
                           for i, cells in enumerate(rows)], "grid orders")
    assert [doctree.read_back_table(table)] == doctree.parse(markup.render("table.html.j2", table=table)).blocks


@pytest.fixture(scope="module")
def drill(bulletin):
    """(trends, every ranked unit's drill-down) of the sample month."""
    t = trends.build_trends(load_history(load_workspace(config.DEFAULT_WORKSPACE), bulletin))
    return t, unit_drilldowns(bulletin.figures, analysis.ranked_units(bulletin))


def test_every_unit_pages_tree_is_the_tree_of_its_html(bulletin, drill):
    """Title, facts, the items' and deductions' tables, unresolved orders by type (ids with their
    small dates) or the note that there are none: no page parsed back to make its PDF."""
    t, drilldowns = drill
    pages = list(analysis.unit_pages(bulletin, drilldowns, t))
    assert len(pages) == len(drilldowns) == 47
    for page in pages:
        assert page.tree == doctree.parse(page.html), page.name
    kinds = {type(b).__name__ for p in pages for b in p.tree.blocks}
    assert kinds == {"Heading", "Paragraph", "Table"}
    assert any(b.cls == "ids" for p in pages for b in p.tree.blocks if isinstance(b, doctree.Paragraph))


def test_unit_pages_are_made_one_at_a_time(bulletin, drill):
    """A city's 500 pages are never all held: the first comes before the second drill-down is read."""
    t, drilldowns = drill
    read = []

    def one_by_one():
        for d in drilldowns:
            read.append(d.unit)
            yield d

    pages = analysis.unit_pages(bulletin, one_by_one(), t)
    first = next(pages)
    assert read == [drilldowns[0].unit] and first.name == analysis.unit_file_name(drilldowns[0].unit)


def test_pdf_workers_write_the_bytes_of_the_in_process_typesetter(bulletin, drill, tmp_path):
    t, drilldowns = drill
    pages = list(analysis.unit_pages(bulletin, drilldowns[:5], t))
    with PDFWorkers(workers=2) as workers:
        for page in pages:
            workers.submit(page.tree, tmp_path / f"{page.name}.pdf")
    with typeset.Typesetter() as typesetter:
        for page in pages:
            assert (tmp_path / f"{page.name}.pdf").read_bytes() == typesetter.pdf(page.tree), page.name


def test_a_pdf_worker_failure_is_raised(tmp_path):
    doc = doctree.Document(parts=[doctree.Part(blocks=[doctree.Paragraph([Run("一页")])])])
    with pytest.raises(RuntimeError, match="PDF worker failed"), PDFWorkers(workers=1) as workers:
        workers.submit(doc, tmp_path / "no such folder" / "x.pdf")
