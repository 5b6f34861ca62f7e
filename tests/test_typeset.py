"""The PDF laid out in two halves (hotline.render.typeset) is the PDF of the whole document.

Each half is a document of its own; joined, the pages, their text and size, the page
numbers, the bookmarks (title, level, page and position) and the metadata must be those of
laying the whole page out at once; and the bytes must not depend on whether the halves were
laid out one after the other, side by side, or side by side on a wrong guess.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor

import pytest
from pypdf import PdfReader

from hotline.render import typeset


@pytest.fixture(scope="module")
def html(out) -> str:
    return (out / "bulletin.html").read_text(encoding="utf-8")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def whole(html) -> bytes:
    return typeset.lay_out(html).pdf


@pytest.fixture(scope="module")
def joined(html, tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOTLINE_CACHE", str(tmp_path_factory.mktemp("cache")))
        return typeset.html_to_pdf(html)


def _summary(pdf: bytes) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    outline = []

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, item.title, reader.get_destination_page_number(item),
                                round(float(item.left), 1), round(float(item.top), 1)))

    walk(reader.outline)
    return {
        "pages": [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages],
        "text": [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages],
        "outline": outline,
        "metadata": dict(reader.metadata),
        "lang": reader.trailer["/Root"].get("/Lang"),
    }


def test_the_bulletin_is_cut_before_a_landscape_table(html):
    first, second, cut = typeset.halves(html)
    assert cut == 1  # the second of the two 附件 tables: the cut nearest the middle
    assert first.rstrip().endswith("</html>") and "二、区直部门" not in first and "一、街道" in first
    body = second[second.index("<body"):]
    # the second half repeats the head (styles, fonts) and the ancestors of its first section
    assert second[:second.index("<body")] == html[:html.index("<body")]
    assert re.match(r'<body[^>]*>\s*<main class="page bulletin">\s*<div class="bulletin">\s*<section class="appendix-part">',
                    body)
    assert "二、区直部门" in second and "考核评分规则" in second and "一、街道" not in second


def test_a_page_without_a_named_page_section_is_not_cut():
    assert typeset.halves("<html><head></head><body><main><p>一页</p></main></body></html>") is None


def test_joined_halves_are_the_whole_document(whole, joined):
    a, b = _summary(whole), _summary(joined)
    assert len(b["pages"]) == 8
    for key in ("pages", "text", "outline", "metadata", "lang"):
        assert a[key] == b[key], key


def test_page_numbers_run_on_across_the_cut(joined):
    texts = _summary(joined)["text"]
    for number, text in enumerate(texts, start=1):
        assert f"—{number}—" in text, number


def test_side_by_side_gives_the_same_bytes_even_on_a_wrong_guess(html, joined, cache):
    first, _, cut = typeset.halves(html)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        assert typeset.guess_first_pages(first, cut) is None  # nothing known yet: one after the other
        assert typeset.html_to_pdf(html, pool=pool) == joined
        assert typeset.guess_first_pages(first, cut) == 5  # the first half: 4 pages of text, 1 table
        assert typeset.html_to_pdf(html, pool=pool) == joined  # the guess right
        counts = cache / typeset.PAGE_COUNTS_FILE
        counts.write_text(json.dumps(dict.fromkeys(json.loads(counts.read_text(encoding="utf-8")), 3)), encoding="utf-8")
        assert typeset.html_to_pdf(html, pool=pool) == joined  # the guess wrong: laid out again
        assert typeset.guess_first_pages(first, cut) == 5
    finally:
        pool.shutdown()


def test_the_analysis_flavour_is_cut_between_two_drill_down_pages(out):
    """The published analysis PDF (laid out in halves by `hotline run`) is the whole document's."""
    html = (out / "analysis.html").read_text(encoding="utf-8")
    first, second, _ = typeset.halves(html)
    head = second[second.index("<body"):]
    assert re.match(r'<body[^>]*>\s*<main class="page bulletin">\s*<div class="bulletin">\s*<section class="drilldowns">\s*'
                    r'<section class="unit-page" id="unit-(\d+)">', head)
    assert 'id="unit-0"' in first  # the first drill-down shares its page with the section's intro: never cut there
    whole = _summary(typeset.lay_out(html).pdf)
    published = _summary((out / "analysis.pdf").read_bytes())
    for key in ("pages", "text", "outline", "metadata", "lang"):
        assert whole[key] == published[key], key


class _DeadWorker:
    """A pool whose worker has died: every half sent to it fails."""

    def submit(self, *args, **kwargs):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future = Future()
        future.set_exception(BrokenProcessPool("the worker died"))
        return future


def test_a_dead_worker_costs_time_not_the_pdf(html, joined, cache):
    first, _, cut = typeset.halves(html)
    typeset.remember_first_pages(first, cut, 5)
    assert typeset.html_to_pdf(html, pool=_DeadWorker()) == joined


def test_the_pdf_does_not_depend_on_which_font_subsetter_the_machine_has(html, whole, monkeypatch, caplog):
    """Without libharfbuzz-subset WeasyPrint would subset with fontTools, warn, and write other
    bytes; the bulletin's fonts come subset already, so neither subsetter may run."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a bare machine
    with caplog.at_level("WARNING", logger="weasyprint"):
        bare = typeset.lay_out(html).pdf
    assert not [r.getMessage() for r in caplog.records if "subset" in r.getMessage().lower()]
    assert bare == whole
