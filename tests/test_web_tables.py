"""The published web pages in Chromium at desktop (1280 px) and phone (390 px) width: every
table shown whole at desktop width (none clipped inside its scrolling wrapper, the 附件 on a
sheet as wide as their landscape page), and on a phone a scrolled table keeps its units' names
in view; links look like links.

Skips, saying why, without Chromium (`apt-get install chromium`) or Playwright.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (Debian: apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PAGES = ("bulletin.html", "analysis.html", "../index.html")  # the index: written by the `site` fixture

# Each wrapper: how much of its table is hidden, and where its first column stands when scrolled to the end.
_MEASURE = """() => [...document.querySelectorAll('.table-wrap')].map(w => {
  const t = w.querySelector('table');
  const before = w.scrollWidth - w.clientWidth;
  w.scrollLeft = w.scrollWidth;
  const first = t.querySelector('tbody tr td');
  const r = first ? first.getBoundingClientRect() : null, wr = w.getBoundingClientRect();
  return {cls: t.className, hidden: before, unit: first ? first.classList.contains('unit') : false,
          firstLeft: r ? r.left - wr.left : 0, firstRight: r ? r.right - wr.left : 0};
})"""


@pytest.fixture(scope="module")
def site(out) -> Path:
    """The rendered month's folder, with its district's index of months beside it."""
    from hotline.render.index_page import write_index
    from hotline.render.wording import Wording

    write_index(out.parent, Wording())
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _tables(browser, path: Path, width: int) -> list[dict]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.resolve().as_uri())
    found = page.evaluate(_MEASURE)
    page.close()
    return found


@pytest.mark.parametrize("name", PAGES)
def test_every_table_whole_at_desktop_width(browser, site, name):
    tables = _tables(browser, site / name, 1280)
    assert tables, name
    clipped = [t for t in tables if t["hidden"] > 1]
    assert not clipped, f"{name} at 1280 px: tables clipped in their wrappers: {clipped}"


@pytest.mark.parametrize("name", PAGES[:2])
def test_on_a_phone_a_scrolled_table_keeps_the_unit_in_view(browser, site, name):
    tables = _tables(browser, site / name, 390)
    scrolled = [t for t in tables if t["hidden"] > 1 and t["unit"]]
    assert scrolled, f"{name}: no table scrolls at 390 px, so the test would show nothing"
    for t in scrolled:
        assert t["firstLeft"] >= -1 and t["firstRight"] > 20, t  # the name stuck at the left edge


def test_links_look_like_links(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "../index.html").resolve().as_uri())
    styles = page.evaluate("""() => [...document.querySelectorAll('a')].map(a => {
        const s = getComputedStyle(a); return [s.textDecorationLine, s.color, getComputedStyle(a.parentElement).color]; })""")
    page.close()
    assert styles
    for decoration, colour, around in styles:
        assert "underline" in decoration and colour != around
