"""The PDF set by Typst (hotline.render.typeset) from the bulletin's document tree.

The published PDFs of the sample month: A4 portrait pages and the 附件 on landscape pages,
"— n —" outside at the foot (odd pages right, even left), the bookmarks nested as the
headings, the ranking table's two-level head on every page the table spans, the fonts
embedded, the same bytes from the same page, no space between Chinese and figures; and any
page's own content (an analyst's paragraph, table, picture or preformatted text) set as it is,
whatever characters it holds.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib

import pytest
from pypdf import PdfReader

from hotline.render import doctree, layout, typeset

pytestmark = pytest.mark.slow  # lays out PDFs

A4 = (595, 842)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def _number_x(page) -> tuple[str, float]:
    """The page number's text and the x of its left end (points from the page's left edge)."""
    found = []

    def visit(text, cm, tm, font, size):
        if re.fullmatch(r"—\s*\d+\s*—", text.strip()):
            found.append((_squash(text), cm[4] + tm[4]))

    page.extract_text(visitor_text=visit)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def html(out) -> str:
    return (out / "bulletin.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def official(out) -> PdfReader:
    return PdfReader(out / "bulletin.pdf")


@pytest.fixture(scope="module")
def analysis(out) -> PdfReader:
    return PdfReader(out / "analysis.pdf")


# --------------------------------------------------------------------------- the sample month


def test_portrait_pages_and_the_appendix_on_landscape_pages(official):
    sizes = [_size(p) for p in official.pages]
    texts = [_squash(p.extract_text() or "") for p in official.pages]
    assert sizes[0] == A4 and sizes[-1] == A4  # the text; the rules
    # the ranking tables (page 1 holds the city table, with the same heads)
    appendix = [i for i, t in enumerate(texts) if i and "责任单位" in t and "诉求响应率（30分）" in t]
    assert len(appendix) >= 3
    for i in range(len(sizes)):
        assert sizes[i] == ((842, 595) if i in appendix else A4), i
    assert texts[appendix[0]].startswith("附件1")
    assert texts[-1].startswith("附件2芙蓉区12345政务热线工作考核评分规则")  # the rules: the last 附件, marked


def test_page_numbers_outside_at_the_foot(official, analysis):
    for reader in (official, analysis):
        for n, page in enumerate(reader.pages, start=1):
            text, x = _number_x(page)
            assert text == f"—{n}—"
            width = float(page.mediabox.width)
            if n % 2:  # odd: at the right, one character in from the text block's edge
                assert x > width * 0.7, (n, x)
            else:  # even: at the left
                assert x < width * 0.3, (n, x)
            assert (page.extract_text() or "").rstrip().endswith(text[0]), n  # the last text on the page


def test_page_number_position_follows_the_text_block(official):
    """Portrait: 28 mm left, 26 mm right margins, the number one character (14 pt) in."""
    mm = 72 / 25.4
    _, odd = _number_x(official.pages[0])
    _, even = _number_x(official.pages[1])
    assert abs(even - (28 * mm + 14)) < 4
    assert 595 - 26 * mm - 14 - 60 < odd < 595 - 26 * mm - 14 - 30  # "— 1 —" is about 45 pt wide


def test_bookmarks_are_the_headings_nested_by_level(html, official, analysis, out):
    expected = [(b.level, b.text) for b in doctree.parse(html).blocks if isinstance(b, doctree.Heading)]
    outline = _outline(official)
    assert [title for _, title, _ in outline] == [text for _, text in expected]
    assert [depth for depth, _, _ in outline] == [level - 1 for level, _ in expected]
    assert outline[:3] == [(0, "芙蓉区12345政务热线三月份情况通报", 0), (1, "一、全市排名情况", 0), (1, "二、区内情况统计", 0)]
    rules = next(page for _, title, page in outline if title == "芙蓉区12345政务热线工作考核评分规则")
    assert rules == len(official.pages) - 1
    # the analysis flavour: its title at the top, each unit's page under it, deductions under the unit
    a = _outline(analysis)
    titles = [t for _, t, _ in a]
    assert titles[:len(outline)] == [t for _, t, _ in outline]
    top = [t for d, t, _ in a if d == 0]
    assert top == ["芙蓉区12345政务热线三月份情况通报", "芙蓉区12345政务热线2023年3月数据分析"]
    unit = next(i for i, (d, t, _) in enumerate(a) if t.startswith("市场监督管理局得分明细"))
    assert a[unit][0] == 1 and a[unit + 1][0] == 2
    units = [(title, page) for _, title, page in a if title.endswith("得分明细（2023年3月）")]
    assert len(units) == 13  # the units below the district rate (hotline.render.analysis.focus_units)
    # each unit's bookmark leads to the page that starts with it; the first shares the intro's page
    assert units[0][0] in _squash(analysis.pages[units[0][1]].extract_text())
    for title, page in units[1:]:
        assert _squash(analysis.pages[page].extract_text()).startswith(title), title


def test_the_ranking_tables_head_is_on_every_page_it_spans(official):
    texts = [_squash(p.extract_text() or "") for p in official.pages]
    landscape = [t for p, t in zip(official.pages, texts) if _size(p) == (842, 595)]
    assert len(landscape) >= 3  # 街道 on one page, 区直部门 over two
    for text in landscape:
        for head in ("责任单位", "签收总量", "诉求响应率（30分）", "问题解决率（35分）", "在线办结率（20分）",
                     "回访满意率（15分）", "排名", "按时签收", "知识库建设", "回访评价"):
            assert head in text, head
    follow = [t for t in landscape if "区直部门" not in t and "街道（" not in t]
    assert follow, "the 区直部门 table runs over a page"


def test_fonts_embedded_and_only_the_bulletins(official, analysis):
    for reader in (official, analysis):
        seen = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                desc = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
                seen.add(re.sub(r"^/?[A-Z]{6}\+", "", str(font["/BaseFont"])))
        assert {re.sub(r"-Identity-H$", "", f) for f in seen} == {"NotoSansSC-Regular", "NotoSerifSC-Regular"}


def test_same_page_same_bytes(html, out):
    first = typeset.html_to_pdf(html)
    assert typeset.html_to_pdf(html) == first
    assert (out / "bulletin.pdf").read_bytes() == first  # the run's PDF is the exporter's


def test_no_space_between_chinese_and_figures(official):
    text = official.pages[0].extract_text()
    assert "3月份，全区共签收工单5804件" in text.replace("\n", "")
    assert "3 月份" not in text


def test_dated_by_the_publish_date(official):
    info = official.metadata
    assert info["/CreationDate"].startswith("D:20230517") and info["/Title"] == "芙蓉区12345政务热线三月份情况通报"


# --------------------------------------------------------------------------- any page


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xcc\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


MARKUP = '#set page(width: 1cm) *bold* _em_ $x^2$ [a] <b> @c \\ // /* `raw` ~ -- ... = - + 1. "q" \'s\' {x}'


def _page(body: str) -> str:
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>'
            '<meta name="dcterms.created" content="2023-05-17"></head>'
            f'<body><main class="page bulletin">{body}</main></body></html>')


def test_an_analysts_own_content_is_set_as_it_is():
    png = base64.b64encode(_png(40, 20)).decode()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="60pt"><rect width="120" height="60" fill="#36c"/></svg>'
    esc = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = _page(
        '<h1 class="doc-title">分析员的补充</h1>'
        f'<p>段落：{esc}</p>'
        '<h2>一、补充表格</h2>'
        '<table><thead><tr><th colspan="2">合并表头</th></tr></thead>'
        f'<tbody><tr><td>单位甲</td><td>12.5%</td></tr><tr><td>{esc}</td><td>x</td></tr></tbody></table>'
        f'<figure class="chart"><img src="data:image/png;base64,{png}" alt=""><figcaption>图A 位图</figcaption></figure>'
        f'<figure class="chart">{svg}<figcaption>图B 矢量图</figcaption></figure>'
        '<pre>第一行  两个空格\n第二行 #[x]</pre>'
        '<p>3月份 2023年 <b>粗体</b><sup>1</sup></p>')
    pdf = typeset.html_to_pdf(html)
    reader = _reader(pdf)
    text = "".join(p.extract_text() or "" for p in reader.pages)
    flat = _squash(text)
    for piece in ("分析员的补充", "段落：" + _squash(MARKUP), "合并表头", "单位甲", "12.5%", "图A位图", "图B矢量图",
                  "第一行两个空格", "第二行#[x]", "3月份2023年粗体1"):
        assert piece in flat, piece
    assert "第二行 #[x]" in text  # the preformatted text's own spaces
    assert [t for _, t, _ in _outline(reader)] == ["分析员的补充", "一、补充表格"]
    images = [name for page in reader.pages for name in page.images] if hasattr(reader.pages[0], "images") else []
    assert len(images) >= 1  # the PNG (the SVG is drawn as vector paths)
    assert pdf.count(b"/Subtype /Image") + pdf.count(b"/Subtype/Image") >= 1


def test_a_page_with_nothing_but_text_and_no_date():
    html = "<html><body><p>只有一段。</p></body></html>"
    reader = _reader(typeset.html_to_pdf(html))
    assert len(reader.pages) == 1 and _size(reader.pages[0]) == A4
    assert "只有一段。" in reader.pages[0].extract_text()
    assert reader.metadata["/CreationDate"].startswith("D:20000101")


def test_column_widths_fill_the_width_and_keep_figures_whole():
    table = doctree.parse(_page(
        '<table class="grid scores units"><thead><tr><th class="unit">责任单位</th><th>总分（100分）</th></tr></thead>'
        '<tbody><tr><td class="unit">长沙火车站地区综合管理办公室</td><td class="num">98.75</td></tr></tbody></table>')).blocks[0]
    widths = typeset.column_widths(table, 500)
    assert abs(sum(widths) - 500) < 1e-6
    narrow = typeset.column_widths(table, 60)  # too narrow for both: each at least its unbroken figures
    lo, hi = typeset.column_bounds(table)
    assert lo[0] == pytest.approx(hi[0])  # a unit name in a ranking table is never broken
    assert narrow[1] >= 0.99 * min(lo[1], 60 * lo[1] / sum(lo))


def _lines(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each piece of text a page draws, in the order drawn."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return out


def _text_lines(page) -> list[tuple[float, float, str]]:
    """(x of its start, y, text) of each line of a page's text, top to bottom."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in _lines(page):
        rows.setdefault(round(y, 1), []).append((x, text))
    return [(min(p[0] for p in parts), y, "".join(t for _, t in sorted(parts)).replace(" ", ""))
            for y, parts in sorted(rows.items(), reverse=True)]


def test_the_attachment_line_hangs_as_gbt_9704_sets_it(official):
    """A blank line below the text, 附件： two characters in, the long name's next line under its first
    character, 2. under 1. (GB/T 9704 7.3.4)."""
    page = next(p for p in official.pages if "附件：1." in (p.extract_text() or ""))
    lines = _text_lines(page)
    i = next(k for k, (_, _, t) in enumerate(lines) if t.startswith("附件：1."))
    (tx, ty, _), (ax, ay, _), (wx, wy, wrapped), (nx, ny, second) = lines[i - 1:i + 3]
    assert ty - ay == pytest.approx(2 * 29, abs=0.5)  # one blank line of the 29 pt grid between
    assert ax - tx == pytest.approx(2 * 16, abs=0.5)
    assert wrapped.endswith("（根据我区考核标准执行）") and second.startswith("2.芙蓉区")
    tracked = 16 + layout.PAGES["portrait"].tracking  # a character's advance on the 28-a-line grid
    assert nx - ax == pytest.approx(3 * tracked, abs=0.5)  # 2. under 1.: after the width of 附件：
    assert 6 < wx - nx < 16  # the name's next line under its first character, after 1.
    assert ay - wy == pytest.approx(29, abs=0.5) and wy - ny == pytest.approx(29, abs=0.5)


def test_headings_sit_on_the_line_grid_and_start_as_paragraphs_do(official):
    """一、 headings one 29 pt line below the text before and above the text after, two characters in."""
    lines = _text_lines(official.pages[0])
    i = next(k for k, (_, _, t) in enumerate(lines) if t == "一、全市排名情况")
    (_, above, _), (hx, hy, _), (px, py, _) = lines[i - 1:i + 2]
    assert above - hy == pytest.approx(29, abs=0.3) and hy - py == pytest.approx(29, abs=0.3)
    assert hx == pytest.approx(px, abs=0.3) == pytest.approx(28 * 72 / 25.4 + 32, abs=0.3)


def test_a_number_keeps_its_measure_word_and_marks_are_full_width(official):
    """No line ends in a figure whose measure word starts the next ("59 / 件"); a full-width comma
    takes a character's width (Typst would squeeze it to justify a line)."""
    for page in official.pages:
        if _size(page) != A4:
            continue
        lines = [t for _, _, t in _text_lines(page)]
        for a, b in zip(lines, lines[1:]):
            assert not (re.search(r"\d$", a) and re.match(r"[件分日月个次%]", b)), (a, b)
    pieces = _lines(official.pages[0])
    commas = [(x, y, pieces[k + 1]) for k, (x, y, t) in enumerate(pieces[:-1]) if t.strip() == "，"]
    assert len(commas) > 3
    for x, y, (nx, ny, _) in commas:
        if ny == y:
            assert nx - x >= 15.7, (x, y)


def test_landscape_pages_have_the_turned_margins_and_the_pages_numbers(official):
    """GB/T 9704 §10: the 附件 tables' landscape pages in the portrait margins turned with the page
    (28 mm at the top, 35 mm left, 37 mm right), the page number in 4号 as on the other pages."""
    mm = 72 / 25.4
    landscape = [(n, p) for n, p in enumerate(official.pages, start=1) if _size(p) == (842, 595)]
    assert landscape
    for n, page in landscape:
        sizes: list[float] = []

        def visit(text, cm, tm, font, size, found=sizes):
            if re.fullmatch(r"—\s*\d+\s*—", text.strip()):
                found.append(abs(size * cm[3]) or size)

        page.extract_text(visitor_text=visit)
        assert sizes == [pytest.approx(14, abs=0.1)], n
        body = [(x, y) for x, y, t in _lines(page) if not re.fullmatch(r"—\s*\d+\s*—", t.strip())]
        assert min(x for x, _ in body) >= 35 * mm - 0.5
        assert max(y for _, y in body) <= 595 - 28 * mm
        _, x = _number_x(page)
        assert (x > 842 - 37 * mm - 14 - 60) if n % 2 else (x == pytest.approx(35 * mm + 14, abs=4))


# --------------------------------------------------------------------------- tables kept whole, rows one line high


def _units_table(rows: int, cls: str) -> str:
    body = "".join(f'<tr><td class="unit">第{i:03d}号局</td><td class="num">{i}</td><td class="num">87.{i % 10}%</td></tr>'
                   for i in range(rows))
    return (f'<table class="grid {cls}"><thead><tr><th class="unit">单位</th><th>回访工单数</th><th>问题解决率</th></tr>'
            f'</thead><tbody>{body}</tbody></table>')


def _body_ys(page) -> list[float]:
    return [y for _, y, t in _lines(page) if not re.fullmatch(r"—\s*\d+\s*—", t.strip())]


def test_a_kept_table_goes_whole_to_the_next_page_unless_taller_than_a_page():
    """A kept table (layout.KEEP_TABLES: the units below the rate) that does not fit below the text
    starts the next page; one taller than a page (a city's hundreds of units) starts below the text
    and runs on over the pages, none of it below the text block (a block that may not break would
    run off the page's foot)."""
    mm = 72 / 25.4
    lead = "".join(f"<p>第{i}段。</p>" for i in range(18))
    short = _reader(typeset.html_to_pdf(_page(lead + _units_table(30, "below"))))
    assert len(short.pages) == 2
    assert "第000号局" not in short.pages[0].extract_text() and "第000号局" in short.pages[1].extract_text()

    tall = _reader(typeset.html_to_pdf(_page(lead + _units_table(150, "below"))))
    assert len(tall.pages) >= 3
    assert "第000号局" in tall.pages[0].extract_text()
    text = "".join(p.extract_text() for p in tall.pages)
    assert all(f"第{i:03d}号局" in text for i in range(150))
    for page in tall.pages:
        assert min(_body_ys(page)) >= 35 * mm - 1  # the text block's foot: 35 mm above the page's


def test_rows_known_to_be_one_line_are_set_as_typst_would_measure_them(monkeypatch):
    """The rows typeset gives a fixed height (_one_line_rows) come out exactly as the rows Typst
    measures: the same PDF, to the byte, with and without the heights."""
    doc = doctree.parse(_page(
        "<p>前文。</p>" + _units_table(80, "units")
        + '<table class="grid orders"><thead><tr><th>工单编号</th><th>诉求类型</th><th>扣分</th></tr></thead><tbody>'
        + "".join(f"<tr><td>GD2023{i:09d}</td><td>{'城乡建设' * (1 + i % 4)}</td><td>0.1</td></tr>" for i in range(60))
        + '<tr><td colspan="2">合计</td><td>6</td></tr></tbody></table>'))
    data, _ = typeset.document_data(doc)
    tables = [b for page in data["pages"] for b in page["blocks"] if b["t"] == "table"]
    assert all(any(t["lines"]) for t in tables)  # else this compares nothing
    fixed = typeset.tree_to_pdf(doc)
    original = typeset._table
    monkeypatch.setattr(typeset, "_table", lambda *args: {**original(*args), "lines": []})
    assert typeset.tree_to_pdf(doc) == fixed
