"""The bulletin's Chinese fonts: where they are, how HTML, PDF and matplotlib use them.

The fonts are Noto Sans SC and Noto Serif SC (SIL Open Font License 1.1), the
Simplified Chinese region-specific OpenType fonts of the Noto CJK project, installed
from PyPI as the pinned dependency ``pylopdf-fonts-zh-cn``. They cover all of GB2312
(and most of GB18030), need no system font and no apt package, and their default forms
are the Simplified Chinese ones.

- HTML: :func:`font_face_css` embeds a subset of each font, holding just the characters
  the document uses, as a WOFF2 ``data:`` URI, so the file is self-contained and small.
- PDF: Typst reads the font files themselves (:func:`fonts`' folder) and embeds subsets.
- matplotlib: :func:`setup_matplotlib` registers the fonts and makes them the default.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from hotline import atomic, config

# CSS family names used by the stylesheet; the @font-face rules bind them to the files.
SANS_FAMILY = "Hotline Sans SC"
SERIF_FAMILY = "Hotline Serif SC"


@dataclass(frozen=True)
class BulletinFont:
    family: str  # the CSS family name the stylesheet uses
    name: str  # the font's own family name (as matplotlib knows it)
    path: Path


def _package_fonts() -> tuple[Path, Path]:
    # the font package only when a font is needed
    import pylopdf_fonts_zh_cn as pkg

    return Path(pkg.sans_path()), Path(pkg.serif_path())


@functools.cache
def fonts() -> tuple[BulletinFont, BulletinFont]:
    """(sans, serif). Raises FileNotFoundError with a fix if the font package is missing."""
    try:
        sans, serif = _package_fonts()
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise FileNotFoundError(
            "找不到中文字体包 pylopdf-fonts-zh-cn — 请运行 pip install -e . 安装项目依赖"
        ) from exc
    for path in (sans, serif):
        if not path.is_file():  # pragma: no cover
            raise FileNotFoundError(f"找不到中文字体文件 {path} — 请重新安装 pylopdf-fonts-zh-cn")
    return (
        BulletinFont(SANS_FAMILY, "Noto Sans SC", sans),
        BulletinFont(SERIF_FAMILY, "Noto Serif SC", serif),
    )


def sans() -> BulletinFont:
    return fonts()[0]


def serif() -> BulletinFont:
    return fonts()[1]


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    # fontTools only when a font is subset (cached subsets skip it)
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str, font: BulletinFont | None = None) -> set[str]:
    """Characters of `text` (other than whitespace/controls) that `font` (default: sans) lacks."""
    cmap = _cmap((font or sans()).path)
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) >= 0x20 and ord(ch) not in cmap}


# Always in the subset, whatever the text: digits, ASCII, and the punctuation of the
# bulletin's frame (so a later edit of the page header or page numbers keeps its glyphs).
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—－–〔〕（）《》“”‘’、，。：；！？％·…"
CACHE_ENTRIES = 200  # font subsets kept on disk (a month's pair is about 250 kB)
SUBSET_FORMAT = "woff2-1"  # change when the subsetting options change: old cached subsets are not used


@functools.lru_cache(maxsize=32)
def subset_woff2(path: Path, text: str) -> bytes:
    """A WOFF2 subset of the font at `path` that holds the glyphs for `text`.

    Subsetting a CJK font takes seconds, so results are kept on disk (:func:`cache_dir`),
    keyed by the font file, the characters and the fontTools version; the bytes are the same.
    """
    chars = "".join(sorted(set(text + _ALWAYS)))
    entry = _cache_entry(Path(path), chars)
    try:
        return entry.read_bytes()
    except OSError:
        pass
    data = _subset(Path(path), chars)
    try:
        atomic.write_bytes(entry, data)
        _prune(entry.parent)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return data


def _prune(folder: Path, keep: int = CACHE_ENTRIES) -> None:
    """Keep the `keep` most recently written subsets."""
    entries = sorted(folder.glob("*.woff2"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)


def cache_dir() -> Path:
    """Where font subsets are kept: $HOTLINE_CACHE/fonts, else <output root>/.cache/fonts."""
    return Path(os.environ.get("HOTLINE_CACHE") or config.OUTPUT_DIR / ".cache") / "fonts"


def _cache_entry(path: Path, chars: str) -> Path:
    # fontTools only when a font is subset (cached subsets skip it)
    import fontTools

    st = path.stat()
    key = hashlib.sha256("\0".join([str(path.resolve()), str(st.st_size), str(st.st_mtime_ns),
                                     fontTools.version, SUBSET_FORMAT, chars]).encode("utf-8")).hexdigest()
    return cache_dir() / f"{path.stem}-{key}.woff2"


def _subset(path: Path, chars: str) -> bytes:
    # fontTools only when a font is subset (cached subsets skip it)
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep locl/vert/palt etc.
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(io.BytesIO(path.read_bytes()), options)  # no file left open
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


def font_face_css(text: str) -> str:
    """@font-face rules for both bulletin fonts, subset to `text`, as WOFF2 data: URIs."""
    return "\n".join(_face(font, subset_woff2(font.path, text)) for font in fonts())


def _face(font: BulletinFont, woff2: bytes, unicode_range: str = "") -> str:
    data = base64.b64encode(woff2).decode("ascii")
    return ("@font-face {\n"
            f"  font-family: \"{font.family}\";\n"
            f"  src: url(data:font/woff2;base64,{data}) format(\"woff2\");\n"
            "  font-weight: normal; font-style: normal;\n"
            + (f"  unicode-range: {unicode_range};\n" if unicode_range else "")
            + "}")


@functools.cache
def gb2312() -> str:
    """Every character of GB2312 (its 7,445 symbols and hanzi): what Chinese office text is written in."""
    chars = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def lab_font_face_css(text: str) -> str:
    """@font-face rules for JupyterLab, where an analyst may type any character: both fonts subset
    to all of GB2312 (made once, then cached), and a second face per font for the characters of
    `text` beyond it (declared by unicode-range, so the browser takes them from there)."""
    rules = [_face(font, subset_woff2(font.path, gb2312())) for font in fonts()]
    extra = sorted(set(text) - set(gb2312()) - set(_ALWAYS) - {c for c in text if c.isspace()})
    if extra:
        codes = ",".join(f"U+{ord(c):04X}" for c in extra)
        rules += [_face(font, subset_woff2(font.path, "".join(extra)), codes) for font in fonts()]
    return "\n".join(rules)


def setup_matplotlib() -> str:
    """Register the fonts with matplotlib and make Noto Sans SC the default; return its name.

    Safe to call more than once. Minus signs are drawn as hyphens (the CJK font's U+2212
    would otherwise be looked up in a fallback font).
    """
    # matplotlib only when a chart is drawn
    import matplotlib
    from matplotlib import font_manager

    for font in fonts():
        if font.name not in {f.name for f in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(str(font.path))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [sans().name, "DejaVu Sans"]
    matplotlib.rcParams["font.serif"] = [serif().name, "DejaVu Serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    # Text as paths in vector output: SVG/PDF figures then need no font at all.
    matplotlib.rcParams["svg.fonttype"] = "path"
    return sans().name
