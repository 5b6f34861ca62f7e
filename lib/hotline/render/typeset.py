"""Bulletin HTML → PDF with WeasyPrint, as one document or as two halves laid out on two cores.

WeasyPrint lays out one page after another on one core; a bulletin's landscape ranking
tables take most of that time. A document is therefore cut in two at a section that starts
a page of its own with a named page (the 附件 tables, the analysis sections; see SPLIT_AT),
each half is laid out by itself, the second numbered on from the first (`counter-reset:
page`), and pypdf joins the two PDFs, with the bookmarks rebuilt as WeasyPrint nests them
for the whole document. The same halves are made whether they are laid out one after the
other (`html_to_pdf(html)`) or side by side (`html_to_pdf(html, pool=...)`): the PDF is the
same bytes either way.

Side by side, the second half must know where its page numbers start before the first half
is laid out: it takes the first half's page count from the last time a document with that
title and that cut was laid out (`page-counts.json` in the cache folder), and is laid out
again, after the first, when the guess was wrong. So a rerun costs the longer half, not both.
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup

from hotline import atomic
from hotline.render.fonts import cache_dir
from hotline.render.markup import macro, render
from hotline.render.styles import PAGE_SECTIONS, stylesheet

FONT_SCHEME = "hotline-font"
_FONT_DATA = re.compile(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)")
# Sections that begin a new page of a named page (styles.PAGE_SECTIONS: the 附件 tables, the
# analysis sections, each unit's drill-down page after the first). Only there is a cut invisible:
# the page breaks anyway, and the named page's own margins apply, not those of a half's `@page :first`.
SPLIT_AT = re.compile('<section class="(' + "|".join(map(re.escape, PAGE_SECTIONS.values())) + ')"')

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PAGE_COUNTS_FILE = "page-counts.json"


class _ScreenOnlyCSS(logging.Filter):
    """Drop WeasyPrint's notes on the stylesheet's screen-only rules (phone media queries,
    text-size-adjust): they are meant for browsers and rightly ignored in print."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not ("max-width: 720px" in msg or "text-size-adjust" in msg)


# --------------------------------------------------------------------------- one document


@dataclass
class Laid:
    """A laid-out document: its PDF and, per page, (height in points, WeasyPrint's bookmarks)."""

    pdf: bytes
    pages: list[tuple[float, list]]


def lay_out(html: str, base_url: str | None = None, first_page: int = 1) -> Laid:
    """One document through WeasyPrint, its pages numbered from `first_page`.

    The page's embedded fonts are lifted out of its stylesheet and handed to WeasyPrint by
    the URL fetcher: its CSS parser would otherwise read a few hundred kB of base64 character
    by character (about a tenth of a second).
    """
    import weasyprint  # loads only when a PDF is made, never in the notebook's kernel

    log = logging.getLogger("weasyprint")
    if not any(isinstance(f, _ScreenOnlyCSS) for f in log.filters):
        log.addFilter(_ScreenOnlyCSS())

    fonts_data: list[bytes] = []

    def lift(match: re.Match) -> str:
        fonts_data.append(base64.b64decode(match.group(1)))
        return f"url({FONT_SCHEME}:{len(fonts_data) - 1})"

    # The one rewrite of finished markup left: the published HTML must carry its fonts as data:
    # URIs (it is self-contained), and the PDF is made from that same HTML.
    html = _FONT_DATA.sub(lift, html)
    # counter-reset on a page sets the number that page shows; as a user stylesheet it adds to
    # the page's own (which sets no counter-reset) without touching the markup.
    numbering = [weasyprint.CSS(string=f"@page :first {{ counter-reset: page {first_page} }}")] if first_page != 1 else []
    document = weasyprint.HTML(string=html, base_url=base_url or str(Path.cwd()),
                               url_fetcher=_fetcher(fonts_data), media_type="print").render(stylesheets=numbering)
    # full_fonts: the fonts handed in are already subset to the document's text, so WeasyPrint
    # embeds them as they are; its own subsetter (HarfBuzz if the system has libharfbuzz-subset,
    # else fontTools, with a warning and other bytes) would make the PDF depend on the machine.
    pdf = document.write_pdf(pdf_tags=False, full_fonts=True)
    return Laid(pdf, [(page.height * 0.75, page.bookmarks) for page in document.pages])


def _fetcher(fonts_data: list[bytes]):
    """data: and local files only (the bulletin fetches nothing from the network), and the
    page's own fonts as FONT_SCHEME:<n>."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # as above: only for a PDF

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(FONT_SCHEME + ":"):
                data = fonts_data[int(url.split(":", 1)[1])]
                return URLFetcherResponse(url, body=data, headers={"Content-Type": "font/woff2"})
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)


# --------------------------------------------------------------------------- two halves


class _OpenTags(html.parser.HTMLParser):
    """The start tags still open at the end of a piece of (well-formed, generated) markup."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=False)
        self.stack: list[tuple[str, str]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append((tag, self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        pass  # <path/>: opens nothing

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def halves(html: str) -> tuple[str, str, int] | None:
    """(first half, second half, which cut) of a bulletin page, cut at the SPLIT_AT section
    that most evenly divides its markup; None when it has no such section after its start.

    Each half is a whole page: the head (styles, fonts) and the sections' open ancestors.
    """
    body = html.find("<body")
    cuts = [m.start() for m in SPLIT_AT.finditer(html, body)
            if m.group(1) != PAGE_SECTIONS["unit_page"] or _follows_a_section(html, m.start())]
    if body < 0 or not cuts:
        return None
    end = html.rfind("</body>")
    work = _layout_work(html)
    best = min(range(len(cuts)), key=lambda i: max(work(body, cuts[i]), work(cuts[i], end)))
    cut = cuts[best]
    opened = "".join(raw for _, raw in _OpenTags(html[body:cut]).stack)
    return html[:cut] + html[end:], html[:body] + opened + "\n" + html[cut:], best


_EMBEDDED = re.compile(r"<svg\b.*?</svg>|data:[^\"')\s]+", re.S)


def _layout_work(html: str):
    """work(a, b): a measure of the layout time of html[a:b], its markup's length, leaving out
    charts (inline SVG, data: images): long, but drawn as a whole, not laid out line by line."""
    spans = [m.span() for m in _EMBEDDED.finditer(html, html.find("<body"))]

    def embedded(a: int, b: int) -> int:
        return sum(max(0, min(b, end) - max(a, start)) for start, end in spans)

    return lambda a, b: (b - a) - embedded(a, b)


def _follows_a_section(html: str, start: int) -> bool:
    """Whether only white space separates `start` from the end of a section before it: a
    drill-down page begins a page only after another one (the first follows the intro)."""
    end = html.rfind("</section>", 0, start)
    return end >= 0 and not html[end + len("</section>"):start].strip()


def join(parts: list[Laid]) -> bytes:
    """One PDF of the halves' pages, with the metadata of the first and the bookmarks of all,
    nested by heading level across halves as WeasyPrint nests them in one document."""
    # pypdf and WeasyPrint load only when a PDF is made, never in the notebook's kernel
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=False)
    writer.add_metadata(dict(readers[0].metadata or {}))
    lang = readers[0].trailer["/Root"].get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = lang

    # WeasyPrint's own nesting over every page of both halves (pdf/__init__.py, anchors.py).
    roots: list = []
    skipped: list = []
    last_by_depth = [roots]
    previous = 0
    pages = [page for part in parts for page in part.pages]
    for number, (height, bookmarks) in enumerate(pages):
        # CSS px from the top → PDF points from the bottom, as WeasyPrint writes them.
        previous = make_page_bookmark_tree(SimpleNamespace(bookmarks=bookmarks), skipped, last_by_depth,
                                           previous, number, Matrix(a=0.75, d=-0.75, f=height))

    def add(items, parent=None):
        for label, (number, x, y), children, state in items:
            item = writer.add_outline_item(title=label, page_number=number, parent=parent,
                                           fit=Fit.xyz(left=x, top=y, zoom=0), is_open=state != "closed")
            add(children, item)

    add(roots)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- page counts


def _counts_file() -> Path:
    return cache_dir().parent / PAGE_COUNTS_FILE


def _count_keys(first_half: str, cut: int) -> tuple[str, str]:
    """(this document's key, its kind's key): the title and the cut; the cut alone."""
    title = re.search(r"<title>(.*?)</title>", first_half, re.S)
    exact = hashlib.sha256(f"{title.group(1) if title else ''}\0{cut}".encode()).hexdigest()[:16]
    return exact, f"cut-{cut}"


def guess_first_pages(first_half: str, cut: int) -> int | None:
    """The first half's page count the last time such a document was laid out, if known."""
    try:
        counts = json.loads(_counts_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in _count_keys(first_half, cut):
        if isinstance(counts.get(key), int):
            return counts[key]
    return None


def remember_first_pages(first_half: str, cut: int, pages: int) -> None:
    path = _counts_file()
    try:
        counts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        counts = {}
    counts.update(dict.fromkeys(_count_keys(first_half, cut), pages))
    if len(counts) > 1000:  # keep the newest entries
        counts = dict(list(counts.items())[-500:])
    try:
        atomic.write_text(path, json.dumps(counts))
    except OSError:
        pass  # a count that cannot be kept only costs time next run


# --------------------------------------------------------------------------- the PDF


def html_to_pdf(html: str, base_url: str | None = None, pool=None) -> bytes:
    """The PDF of bulletin HTML: two halves joined (see the module's doc), or one document
    when it has nothing to cut at. With `pool` (a concurrent.futures executor whose worker
    has imported this module) the second half is laid out there meanwhile."""
    split = halves(html)
    if split is None:
        return lay_out(html, base_url).pdf
    first_half, second_half, cut = split
    guess = guess_first_pages(first_half, cut) if pool is not None else None
    future = pool.submit(lay_out, second_half, base_url, guess + 1) if guess is not None else None
    first = lay_out(first_half, base_url)
    count = len(first.pages)
    second = None
    if future is not None and guess == count:
        try:
            second = future.result()
        except Exception:  # the worker failed or died: laid out here, a real error shows again
            second = None
    if second is None:
        if future is not None:
            future.cancel()
        second = lay_out(second_half, base_url, count + 1)
    remember_first_pages(first_half, cut, count)
    return join([first, second])


def warm_up(join_too: bool = False) -> None:
    """Load WeasyPrint and start its text stack (Fontconfig, Pango) on a tiny page, so the
    first real layout does not pay for them (no bulletin font: a new subset costs a second);
    with `join_too`, also load pypdf by joining that page to itself."""
    page = lay_out(render("page.html.j2", title="", css=Markup(stylesheet()), body=macro("p", "— 1 —")))  # our CSS: markup
    if join_too:
        join([page, page])
