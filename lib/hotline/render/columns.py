"""Table columns laid out as a browser's automatic table layout lays out a `width: 100%` table,
for the writers that must set widths themselves (hotline.render.typeset for the PDF,
hotline.render.docx for Word): each column between its narrowest width (what may not be
broken: figures, Latin words, names kept on one line) and its natural width (its widest line).
How wide a cell's text is, each writer measures for its own fonts (ems, with the width of its
figures and Latin); the layout is shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import repeat

from hotline.render.doctree import Cell, Grid, Table

# Below U+2E80 (where CJK begins), the marks a Chinese face sets a full em wide.
WIDE_MARKS = "—…“”‘’"
_WIDE = rf"\u2e80-\U0010ffff{WIDE_MARKS}"
_WIDE_RUN = re.compile(f"([{_WIDE}]+)")
_UNBROKEN = re.compile(rf"[^\s{_WIDE}]+")


def has_wide(text: str) -> bool:
    """Whether `text` has a character set an em wide: CJK, full-width forms and the rest from U+2E80 on, WIDE_MARKS."""
    return _WIDE_RUN.search(text) is not None


def ems(text: str, narrow: float) -> float:
    """The width of a line of `text` in ems: a wide character (has_wide) one, any other `narrow`
    (the face's figures and Latin: about 0.56 in Noto Sans SC, 0.6 in 仿宋).

    The widths are added one by one in the line's order, as a loop over its characters would add
    them (a run of like characters at a time, by sum in C): a product such as `narrow` × count
    rounds differently in the last bit, which can move a column's width and so the documents' bytes."""
    if text.isascii():  # figures, dates, order numbers: most of the tables' cells
        return sum(repeat(narrow, len(text)))
    width: float = 0
    # Split at runs of wide characters, kept: the other characters' runs at even places, the wide at odd.
    for i, run in enumerate(_WIDE_RUN.split(text)):
        width = sum(repeat(1.0 if i % 2 else narrow, len(run)), width)
    return width


# What ems_at_most bounds: ASCII by the face's own widths (ANY_FACE_ASCII when they are not
# known: figures and their marks FIGURE_EMS, the rest an em), and at most an em each: the CJK
# blocks, full-width forms, WIDE_MARKS, Latin-1, dashes and quotes, arrows, number forms (Ⅲ, ①).
FIGURE_EMS = 0.65
ANY_FACE_ASCII = tuple(FIGURE_EMS if chr(c) in "0123456789 .,:;-/%+()'" else 1.0 for c in range(128))
_UNBOUNDED = re.compile(rf"[^\x00-\xff\u2010-\u2027\u2150-\u21ff\u2460-\u24ff\u2e80-\u9fff\uf900-\ufaff"
                        rf"\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff{WIDE_MARKS}]")


def ems_at_most(text: str, ascii: Sequence[float] = ANY_FACE_ASCII) -> float | None:
    """The most a line of `text` can be wide in ems: an ASCII character as `ascii` says (its width
    by code point, rounded up), any other at most an em; None when a character may be wider (a
    two-em dash, a symbol a fallback face draws). Kerning and Typst's squeezing of marks only narrow a line."""
    if text.isascii():
        return sum(map(ascii.__getitem__, text.encode()))
    if _UNBOUNDED.search(text):
        return None
    return sum(ascii[ord(ch)] if ch < "\x80" else 1.0 for ch in text)


def unbroken(text: str) -> list[str]:
    """The runs of figures and Latin in `text`, which a line never breaks inside."""
    return _UNBROKEN.findall(text)


def widest_unbroken(text: str, narrow: float) -> float:
    """The width in ems of the widest of `text`'s unbroken runs (0 if none): the longest, as its
    characters are all `narrow`."""
    return ems(max(unbroken(text), key=len, default=""), narrow)


# (narrowest, natural) width in points of one cell's content, padding included.
Measure = Callable[[Cell], tuple[float, float]]


def bounds(table: Table, measure: Measure, floor: float, grid: Grid | None = None) -> tuple[list[float], list[float]]:
    """Each column's (narrowest, natural) width in points, at least `floor`. A cell spanning
    several columns shares what it needs beyond theirs among them evenly. `grid` is
    table.grid(), if the caller has it."""
    if grid is None:
        grid = table.grid()
    n = len(grid[0]) if grid else 0
    lo, hi = [floor] * n, [floor] * n
    spanned = []
    above: list[tuple[int, int] | None] = [None] * n
    for row in grid:
        left = None
        for c, slot in enumerate(row):
            # A cell is measured at its first slot: not where empty, nor the rest of a cell to the left or above.
            if slot is not None and slot != left and slot != above[c]:
                cell = table.rows[slot[0]].cells[slot[1]]
                narrowest, natural = measure(cell)
                if cell.colspan != 1:
                    spanned.append((c, min(n, c + cell.colspan), narrowest, natural))
                else:  # as max(), keeping the width it has unless the cell's is greater
                    if narrowest > lo[c]:
                        lo[c] = narrowest
                    if natural > hi[c]:
                        hi[c] = natural
            left = slot
        above = row
    for a, b, narrowest, natural in spanned:
        for widths, need in ((lo, narrowest), (hi, natural)):
            have = sum(widths[a:b])
            if have < need:
                for c in range(a, b):
                    widths[c] += (need - have) / (b - a)
    return lo, [max(x, y) for x, y in zip(lo, hi)]


def fit(narrowest: list[float], natural: list[float], available: float) -> list[float]:
    """Column widths filling `available`: natural widths widened in proportion if they fit,
    else each column between its narrowest and its natural width."""
    if not natural:
        return []
    if sum(natural) <= available:
        return [w * available / sum(natural) for w in natural]
    room, slack = available - sum(narrowest), sum(natural) - sum(narrowest)
    if room <= 0 or slack <= 0:
        return [w * available / sum(narrowest) for w in narrowest]
    return [a + (b - a) * room / slack for a, b in zip(narrowest, natural)]
