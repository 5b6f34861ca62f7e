"""The bulletin's Chinese fonts: where they are, how HTML, PDF and matplotlib use them.

The fonts are Noto Sans SC and Noto Serif SC (SIL Open Font License 1.1), the
Simplified Chinese region-specific OpenType fonts of the Noto CJK project, installed
from PyPI as the pinned dependency ``pylopdf-fonts-zh-cn``. They cover all of GB2312
(and most of GB18030), need no system font and no apt package, and their default forms
are the Simplified Chinese ones.

- HTML: :func:`font_face_css` embeds a subset of each font, holding just the characters
  the document uses, as a WOFF ``data:`` URI, so the file is self-contained and small.
- PDF: Typst reads the font files themselves (:func:`fonts`' folder) and embeds subsets.
- matplotlib: :func:`setup_matplotlib` registers the fonts and makes them the default.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotline import config
from hotline.errors import InputError, Problem
from hotline.inputs.settings import Fonts
from hotline.render.columns import ANY_FACE_ASCII

if TYPE_CHECKING:  # fontTools is imported where a font is read
    from fontTools.ttLib import TTFont

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


@functools.lru_cache(maxsize=32)
def subset_woff(path: Path, text: str) -> bytes:
    """A WOFF subset of the font at `path` holding the glyphs for `text` (and _ALWAYS).

    HarfBuzz's subsetter takes 10–20 ms for the sample's characters where fontTools' took
    0.6–1.5 s, and WOFF's zlib 20 ms where WOFF2's brotli (fixed at its slowest quality) took
    about a second, for files 10 % larger: so a month whose text is new, after a wording edit,
    is not held up by its fonts, and nothing needs keeping on disk (benchmarks/edit_loop.py).
    """
    # harfbuzz and fontTools only when a font is subset
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    plan = hb.SubsetInput()
    for code in sorted({ord(ch) for ch in text + _ALWAYS}):
        plan.unicode_set.add(code)
    # Each set starts as HarfBuzz's defaults: emptied and inverted, it keeps everything, every
    # layout feature (locl, vert, palt…) and every name record (copyright, licence) in every language.
    for keep_all in (plan.layout_feature_tag_set, plan.name_id_set, plan.name_lang_id_set):
        keep_all.clear()
        keep_all.invert()
    plan.flags = hb.SubsetFlags.NO_HINTING
    subset = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), plan)
    if subset is None:  # pragma: no cover - harfbuzz refuses only a broken font
        raise ValueError(f"HarfBuzz could not subset {path}")
    font = TTFont(io.BytesIO(subset.blob.data), recalcTimestamp=False)  # the source's date: the same bytes on every run
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """@font-face rules for both bulletin fonts, subset to `text`, as WOFF data: URIs."""
    return "\n".join(_face(font, subset_woff(font.path, text)) for font in fonts())


def _face(font: BulletinFont, woff: bytes, unicode_range: str = "") -> str:
    data = base64.b64encode(woff).decode("ascii")
    return ("@font-face {\n"
            f"  font-family: \"{font.family}\";\n"
            f"  src: url(data:font/woff;base64,{data}) format(\"woff\");\n"
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
    to all of GB2312, and a second face per font for the characters of
    `text` beyond it (declared by unicode-range, so the browser takes them from there)."""
    rules = [_face(font, subset_woff(font.path, gb2312())) for font in fonts()]
    extra = sorted(set(text) - set(gb2312()) - set(_ALWAYS) - {c for c in text if c.isspace()})
    if extra:
        codes = ",".join(f"U+{ord(c):04X}" for c in extra)
        rules += [_face(font, subset_woff(font.path, "".join(extra)), codes) for font in fonts()]
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


# --------------------------------------------------------------------------- fonts by role

# The roles of the page (district.yaml → fonts), in the analyst's words, and the bundled face that
# stands in for each: the serif for the Song-style faces (小标宋, 仿宋, 楷体, 宋体), the sans for 黑体.
ROLES = {"title": "标题、版头", "body": "正文", "heading": "一级标题、表头", "subheading": "二级标题、专栏标题",
         "table": "表格", "page_number": "页码"}
_STAND_IN = {"title": "serif", "body": "serif", "heading": "sans", "subheading": "serif", "table": "sans",
             "page_number": "serif"}
FONT_FILES = (".ttf", ".otf", ".ttc", ".otc")
METADATA_KEY = "hotline_fonts"  # the notebook's style output carries the font setup (setup_data)


@dataclass(frozen=True)
class RoleFont:
    """The face a role got: `family` as Typst knows it, `word` the name the Word file gives it,
    `path` its file; `stand_in` when none of the district's families was found."""

    role: str
    family: str
    word: str
    path: Path
    stand_in: bool


@dataclass(frozen=True)
class FontSetup:
    """Every role's face, and what Typst must read: the folders of the faces, the system's fonts or not."""

    roles: dict[str, RoleFont]
    font_paths: tuple[str, ...]
    system: bool = False

    def family(self, role: str) -> str:
        return self.roles[role].family

    def word_family(self, role: str) -> str:
        return self.roles[role].word

    @property
    def stand_ins(self) -> list[str]:
        return [role for role, face in self.roles.items() if face.stand_in]


# Noto Sans SC's (the tables' stand-in's) advance widths of printable ASCII, U+0020 to U+007E, in
# ems rounded up: how wide a table's line can be (hotline.render.columns.ems_at_most). Read from
# the font file they would cost each process 0.13 s; tests/test_fonts.py reads them to check.
SANS_ASCII_EMS = (
    0.224, 0.323, 0.474, 0.555, 0.555, 0.921, 0.680, 0.278, 0.338, 0.338, 0.467, 0.555, 0.278, 0.347, 0.278, 0.392,
    0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.278, 0.278, 0.555, 0.555, 0.555, 0.474,
    0.946, 0.608, 0.657, 0.638, 0.688, 0.589, 0.552, 0.689, 0.728, 0.293, 0.535, 0.646, 0.543, 0.812, 0.723, 0.742,
    0.633, 0.742, 0.635, 0.596, 0.599, 0.721, 0.575, 0.878, 0.573, 0.531, 0.603, 0.338, 0.392, 0.338, 0.555, 0.559,
    0.606, 0.563, 0.618, 0.510, 0.620, 0.554, 0.325, 0.564, 0.607, 0.275, 0.275, 0.552, 0.284, 0.926, 0.610, 0.606,
    0.620, 0.620, 0.388, 0.468, 0.377, 0.607, 0.521, 0.802, 0.498, 0.521, 0.475, 0.338, 0.270, 0.338, 0.555,
)


def ascii_ems(setup: FontSetup, role: str = "table") -> tuple[float, ...]:
    """The widths of ASCII (by code point, ems, at most) in the face of `role`: the stand-in's
    own, or, for a face whose widths are not known here, columns.ANY_FACE_ASCII."""
    if setup.roles[role].stand_in and _STAND_IN[role] == "sans":
        return ANY_FACE_ASCII[:32] + SANS_ASCII_EMS + ANY_FACE_ASCII[127:]
    return ANY_FACE_ASCII


def stand_in(role: str) -> BulletinFont:
    """The bundled face that stands in for a role's 公文 face, and fills in what that face lacks."""
    return {"sans": sans(), "serif": serif()}[_STAND_IN[role]]


def _family_names(path: Path) -> dict[int, set[str]]:
    """{index in the file: every family name it gives (name IDs 1 and 16, in every language)}."""
    # fontTools only when an office's font is looked at
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(path, lazy=True) as collection:
                faces = list(collection.fonts)
                return {i: _names(face) for i, face in enumerate(faces)}
        with TTFont(path, lazy=True) as face:
            return {0: _names(face)}
    except (OSError, TTLibError, AssertionError, KeyError) as exc:
        raise InputError(Problem(path, f"不是可读的字体文件（{exc}）",
                                 fix="换一份 .ttf/.otf/.ttc 字体文件，或把它移出 fonts 文件夹")) from None


def _names(face: TTFont) -> set[str]:
    return {str(rec.toUnicode()).strip() for rec in face["name"].names if rec.nameID in (1, 16)} - {""}


def _typst_faces(paths: list[str], system: bool) -> list[Any]:
    # typst (a native module) only when the faces are looked up
    import typst

    return typst.Fonts(include_system_fonts=system, include_embedded_fonts=False, font_paths=paths).fonts()


def office_font_files(workspace: Path) -> list[Path]:
    """The font files of <workspace>/fonts/, in name order."""
    folder = Path(workspace) / config.FONTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FONT_FILES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def font_setup(settings: Fonts, workspace: Path | None = None) -> FontSetup:
    """Each role's face: the first family of `settings` (district.yaml → fonts, a
    hotline.inputs.settings.Fonts) that the office's font files (<workspace>/fonts/) or, when
    `settings.system`, the system's fonts hold; else the bundled stand-in."""
    office = office_font_files(workspace) if workspace is not None else []
    bundled = {font.path for font in fonts()}
    paths = sorted({str(path.parent) for path in bundled} | {str(p.parent) for p in office})
    names = {path: _family_names(path) for path in office}  # every office file is read, or refused by name
    found: dict[str, tuple[str, Path]] = {}  # a family name as the district writes it (casefolded) → (Typst's name, file)
    if office or settings.system:
        typst_read = set()
        for face in _typst_faces(paths, settings.system):
            path = Path(face.path)
            if path in bundled:
                continue
            typst_read.add(path)
            if path not in names:  # a system font (fonts.system), named only when it is used
                names[path] = _family_names(path)
            for name in names[path].get(face.index, set()) | {face.family}:
                found.setdefault(name.casefold(), (face.family, path))
        unread = sorted(set(office) - typst_read)
        if unread:
            raise InputError([Problem(path, "排版程序 Typst 读不出这份字体文件",
                                      fix="换一份 .ttf/.otf/.ttc 字体文件，或把它移出 fonts 文件夹") for path in unread])
    roles = {}
    for role in ROLES:
        wanted = getattr(settings, role)
        hit = next(((name, found[name.casefold()]) for name in wanted if name.casefold() in found), None)
        if hit:
            name, (family, path) = hit
            roles[role] = RoleFont(role, family, name, path, False)
        else:
            font = stand_in(role)
            roles[role] = RoleFont(role, font.name, wanted[0], font.path, True)
    return FontSetup(roles, tuple(paths), bool(settings.system))


def default_setup() -> FontSetup:
    """The district defaults with no office fonts: every role its bundled stand-in."""
    from hotline.inputs.settings import Fonts  # the settings' defaults are the 公文 faces

    return font_setup(Fonts())


def setup_data(setup: FontSetup) -> dict:
    """The setup as JSON data (the notebook hands it to the exporters in its output's metadata)."""
    return {"system": setup.system, "font_paths": list(setup.font_paths),
            "roles": {role: {"family": f.family, "word": f.word, "path": str(f.path), "stand_in": f.stand_in}
                      for role, f in setup.roles.items()}}


def setup_from_data(data: Any) -> FontSetup:
    """The setup of setup_data; the default setup for data that is not one (an older notebook),
    or whose files are gone (a notebook from another machine)."""
    try:
        roles = {role: RoleFont(role, str(f["family"]), str(f["word"]), Path(f["path"]), bool(f["stand_in"]))
                 for role, f in data["roles"].items()}
        if set(roles) == set(ROLES) and all(f.path.is_file() for f in roles.values()):
            return FontSetup(roles, tuple(str(p) for p in data["font_paths"]), bool(data["system"]))
    except (KeyError, TypeError, AttributeError):
        pass
    return default_setup()


def setup_report(setup: FontSetup) -> list[str]:
    """What the PDF is set in: one line when every role has its bundled stand-in, else one line per role."""
    if len(setup.stand_ins) == len(setup.roles):
        named = "、".join(dict.fromkeys(face.word for face in setup.roles.values()))
        return [f"PDF 用内置的 Noto 字体代替公文字体（Word 文件写 {named}）；"
                f"要用本单位的字体，把字体文件放进工作区的 {config.FONTS_DIR}/ 文件夹"]
    lines = []
    for role, face in setup.roles.items():
        if face.stand_in:
            lines.append(f"{ROLES[role]}：未找到 {face.word}，PDF 用内置的 {face.family} 代替（Word 文件仍写 {face.word}）")
        else:
            lines.append(f"{ROLES[role]}：{face.word}（{face.path.name}）")
    return lines


def style_metadata(settings: Fonts, workspace: Path | None) -> dict[str, Any]:
    """The metadata of the notebook's style output: its mark (the exporters leave it off the page)
    and the district's font setup, which the PDF and Word exporters read back (notebook_setup)."""
    return {"hotline": "style", METADATA_KEY: setup_data(font_setup(settings, workspace))}


def notebook_setup(nb: Mapping[str, Any]) -> FontSetup:
    """The font setup an executed notebook carries in its style output (style_metadata); the
    default setup when it carries none."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("metadata", {}).get(METADATA_KEY)
            if data is not None:
                return setup_from_data(data)
    return default_setup()
