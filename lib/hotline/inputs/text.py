"""One reading rule for the text files an analyst edits: units.csv, district.yaml, month.yaml,
city_ranking.csv, stories/*.md and the wording templates (<workspace>/wording/, months/<M>/wording/).

- Encodings: UTF-8, UTF-8 with BOM and GB18030 (what Chinese Excel's "CSV (逗号分隔)" and Notepad's
  ANSI write: GBK, which GB18030 contains). A file must be wholly in one of them: anything else, or
  a GB18030 file with lines written as UTF-8 (they would read as mojibake), is an error naming the
  file, the text line and the byte. The text itself is never printed (it may be personal data).
- Control characters (C0 and C1 but tab, line feed and carriage return; DEL): removed with a
  warning naming file, line and character where the caller collects warnings; an error where the
  exact text matters (the registry's unit names, district.yaml, the wording).
- YAML: safe, a duplicate key is an error naming both lines, aliases may expand to at most
  YAML_MAX_NODES values (an alias bomb fails at once, its message short), a syntax error names its line.
- CSV: a row with more cells than the header, or an unclosed quote, is an error naming the line.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from hotline.errors import InputError, Problem

if TYPE_CHECKING:  # pandas is imported where used: `hotline run` checks month folders without it
    import pandas as pd

ENCODINGS_TEXT = "UTF-8（可带 BOM）或 GB18030/GBK"
SAVE_AS = "用记事本或 Excel「另存为」UTF-8（或 GB18030/GBK）编码"
# Control characters every writer must never see (python-docx refuses them, XML 1.0 cannot hold them).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A cheap test on the raw bytes of a UTF-8 or GB18030 file: C0 and DEL bytes never occur inside
# a multibyte character in either encoding; C1 (U+0080-U+009F) is \xc2\x80-\xc2\x9f in UTF-8.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
CONTROL_NAMES = {0x00: "NUL 空字符", 0x08: "退格符", 0x0B: "垂直制表符", 0x0C: "换页符", 0x1B: "ESC 转义符",
                 0x7F: "DEL 删除符"}
# A run of high bytes, between ASCII bytes, that is a sequence of 3-byte UTF-8 characters: in a file
# that only GB18030 decodes, such a run is text written as UTF-8 (see utf8_lines).
_UTF8_RUN = re.compile(rb"(?<![\x80-\xff])(?:[\xe2-\xef][\x80-\xbf]{2})+(?![\x80-\xff])")
_CJK = re.compile("[\u2e80-\u9fff\uff00-\uffef]+")
YAML_MAX_NODES = 10_000  # values a YAML file may hold once its aliases are expanded; the sample's have < 300
MAX_LINES_NAMED = 10


def read_text(path: Path, warnings: list[Problem] | None = None) -> str:
    """The text of a hand-edited file, decoded by the rule above, control characters handled.

    With `warnings`, control characters are removed and a warning per line appended; without,
    they are an error. FileNotFoundError is left to the caller (it knows what the file is for).
    """
    path = Path(path)
    return clean(path, decode(path, path.read_bytes()), warnings)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (BOM dropped), else GB18030 without lines in UTF-8; InputError naming line and byte otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        stop = invalid_at(data, "utf-8-sig")
        if stop < len(data):
            raise InputError(_stop_problem(path, data, stop, "文件带 UTF-8 的 BOM 标记，但"))
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    utf8_stop = invalid_at(data, "utf-8")
    if utf8_stop == len(data):
        return data.decode("utf-8")
    mixed = utf8_lines(data)
    problem = mixed_problem(path, data, mixed) if mixed else None
    if problem is not None:
        raise InputError(problem)
    gb_stop = invalid_at(data, "gb18030")
    if gb_stop < len(data):
        raise InputError(_stop_problem(path, data, max(utf8_stop, gb_stop), "文件既不是 UTF-8 也不是 GB18030 编码: "))
    return data.decode("gb18030")


def invalid_at(data: bytes, encoding: str) -> int:
    """Offset in `data` of the first byte `encoding` cannot decode; len(data) when it decodes."""
    # The utf-8-sig codec counts offsets after the BOM: decode past the BOM as UTF-8 to count from the file's start.
    skip = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
    try:
        codecs.decode(data[skip:], "utf-8" if encoding == "utf-8-sig" else encoding)
    except UnicodeDecodeError as exc:
        return skip + exc.start
    return len(data)


def line_and_byte(data: bytes, offset: int) -> tuple[int, int]:
    """1-based text line of byte `offset` and its 1-based place in that line.

    A newline byte is a newline in both encodings: GB18030 never uses 0x0A inside a character.
    """
    return data.count(b"\n", 0, offset) + 1, offset - data.rfind(b"\n", 0, offset)


def _stop_problem(path: Path, data: bytes, offset: int, lead: str) -> Problem:
    line, byte = line_and_byte(data, offset)
    return Problem(path, f"{lead}从文本第 {line} 行第 {byte} 个字节（0x{data[offset]:02X}）起无法读取", row=line,
                   fix=f"查看第 {line} 行这个位置是否损坏或混入了其他编码的文字；{SAVE_AS}")


def utf8_lines(data: bytes) -> list[int]:
    """Byte offsets of the text written as UTF-8 in a file that only GB18030 decodes (one per line).

    Such text decodes as GB18030 too, to mojibake. Genuine GBK text is valid UTF-8 of CJK characters
    only by coincidence, so a run of high bytes counts when it is that and either has at least four
    such characters or reads, as GB18030, as a character outside GB2312 (nearly all genuine Chinese
    text is GB2312; UTF-8's continuation bytes read as GBK mostly land outside it).
    """
    found, last_line = [], -1
    for match in _UTF8_RUN.finditer(data):
        run = match.group()
        try:
            text = run.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(text) < 2 or not _CJK.fullmatch(text):
            continue
        if len(text) < 4 and _all_gb2312(run.decode("gb18030", errors="replace")):
            continue
        line = data.count(b"\n", 0, match.start())
        if line != last_line:
            found.append(match.start())
            last_line = line
    return found


def _all_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def mixed_problem(path: Path, data: bytes, offsets: list[int]) -> Problem | None:
    """The error for a file in two encodings (`offsets`: utf8_lines): the lines in the rarer one named.

    None when a line is in neither (a damaged byte, not a second encoding).
    """
    utf8 = sorted({line_and_byte(data, o)[0] for o in offsets})
    gbk = [n for n, line in enumerate(data.split(b"\n"), 1) if max(line, default=0) >= 0x80 and not _is_utf8(line)]
    if any(invalid_at(line, "gb18030") < len(line) for line in data.split(b"\n") if not _is_utf8(line)):
        return None
    named, encoding, other = (utf8, "UTF-8", "GB18030（GBK）") if len(utf8) <= len(gbk) else (gbk, "GB18030（GBK）", "UTF-8")
    shown = "、".join(map(str, named[:MAX_LINES_NAMED])) + (f" 等 {len(named)} 行" if len(named) > MAX_LINES_NAMED else "")
    return Problem(path, f"文件混用了两种编码: 大部分是 {other}，但文本第 {shown} 行有 {encoding} 编码的文字"
                         "（按一种编码读，另一种就成了乱码，数字会悄悄变化）", row=named[0],
                   fix=f"把这些行的文字改用 {other} 重新录入，或把整个文件统一另存为一种编码；平台导出的文件请重新导出")


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------------- control characters


def control_name(char: str) -> str:
    code = ord(char)
    return f"U+{code:04X}" + (f" {CONTROL_NAMES[code]}" if code in CONTROL_NAMES else "")


def clean(path: Path, text: str, warnings: list[Problem] | None) -> str:
    """`text` without control characters: a warning per line where removed, or an error per line."""
    if not CONTROL.search(text):
        return text
    problems, lines = [], text.split("\n")
    for number, line in enumerate(lines, 1):
        match = CONTROL.search(line)
        if match is None:
            continue
        names = "、".join(sorted({control_name(c) for c in CONTROL.findall(line)}))
        where = f"第 {match.start() + 1} 个字符起有控制字符（{names}）"
        if warnings is None:
            problems.append(Problem(path, f"{where}，这个文件要求准确的文字", row=number,
                                    fix="在编辑器中删除这些看不见的字符（常由 Word 或网页复制粘贴带入）"))
        else:
            problems.append(Problem(path, f"{where}，已删除", row=number, kind="control_characters",
                                    fix="无需处理；如要消除警告，在编辑器中删除这些看不见的字符"))
        lines[number - 1] = CONTROL.sub("", line)
    if warnings is None:
        raise InputError(problems)
    warnings += problems
    return "\n".join(lines)


# --------------------------------------------------------------------------- YAML


class Mapping(dict):
    """A YAML mapping that knows the line it starts on (for warnings naming the row)."""

    line: int | None = None


class _Loader(yaml.SafeLoader):
    def __init__(self, text: str, path: Path, first_line: int) -> None:
        super().__init__(text)
        self.path, self.first_line = path, first_line
        self.problems: list[Problem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + self.first_line
                if key.value in seen:
                    self.problems.append(Problem(self.path, f"键「{key.value[:40]}」重复: 第 {seen[key.value]} 行和第 {line} 行",
                                                 row=line, column=key.value[:40],
                                                 fix="删除其中一个（重复时只会用到后写的那个值）"))
                seen.setdefault(key.value, line)
        return super().construct_mapping(node, deep)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[Mapping]:
    data = Mapping()
    data.line = node.start_mark.line + loader.first_line
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def load_yaml(path: Path, warnings: list[Problem] | None = None) -> Any:
    """A YAML file read by the rule above (see read_text for `warnings`); None when empty."""
    return parse_yaml(read_text(path, warnings), path)


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """YAML text that starts on line `first_line` of `path` -> its data (mappings as Mapping)."""
    loader = _Loader(text, Path(path), first_line)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > YAML_MAX_NODES:
            raise InputError(Problem(path, f"别名（& 和 *）展开后超过 {YAML_MAX_NODES} 个值，不是正常的设置文件",
                                     row=node.start_mark.line + first_line, fix="删除 & 和 * 写的别名，直接写出每个值"))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = first_line + max(len(text.splitlines()) - 1, 0)  # an error at the end of the text: its last line
        raise InputError(Problem(path, f"YAML 格式错误: {exc.problem or exc.context}",
                                 row=min(mark.line + first_line, last) if mark else None,
                                 fix="检查该行的缩进、冒号（后面要有空格）和引号是否成对")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(path, f"YAML 格式错误: {type(exc).__name__}", fix="检查缩进、冒号和引号")) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise InputError(loader.problems)
    return data


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Values in `node` with every alias expanded (an alias is the node it names, shared).

    Counted once per distinct node (memoised), so a bomb is measured without being expanded; a
    node that contains itself counts as too large.
    """
    key = id(node)
    if key in sizes:
        if sizes[key] < 0:
            return YAML_MAX_NODES + 1
        return sizes[key]
    sizes[key] = -1
    children = node.value if isinstance(node, yaml.SequenceNode) else (
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
    total = 1
    for child in children:
        total += _expanded_size(child, sizes)
        if total > YAML_MAX_NODES:
            break
    sizes[key] = total
    return total


# --------------------------------------------------------------------------- CSV


def read_csv(path: Path, warnings: list[Problem] | None = None) -> pd.DataFrame:
    """A hand-edited CSV file as a frame of text cells, indexed by the line each row ends on
    (header = line 1; blank lines skipped).

    A row shorter than the header is filled with empty cells; one longer, or an unclosed quote, is
    an error naming the line.
    """
    # pandas loads only here: a run checks months and fingerprints without it
    import pandas as pd

    text = read_text(path, warnings)
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if rows and len(cells) > len(rows[0]):
                extra = cells[len(rows[0]):]
                if any(cell.strip() for cell in extra):
                    problems.append(Problem(path, f"这一行有 {len(cells)} 个值，表头只有 {len(rows[0])} 列", row=reader.line_num,
                                            fix="删去多余的逗号；内容本身含逗号时用英文双引号把它括起来"))
                cells = cells[:len(rows[0])]
            rows.append(cells)
            lines.append(reader.line_num)
    except csv.Error:
        problems.append(Problem(path, "引号不成对（一个英文双引号没有结束）", row=reader.line_num,
                                fix="补上结束的英文双引号，或删除多余的引号"))
    if problems:
        raise InputError(problems)
    if not rows:
        return pd.DataFrame(dtype=str)
    header = [h.strip() for h in rows[0]]
    body = [cells + [""] * (len(header) - len(cells)) for cells in rows[1:]]
    return pd.DataFrame(body, columns=header, index=lines[1:], dtype=str)


# --------------------------------------------------------------------------- templates


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading every template by the rule above (control characters refused)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if path.is_file():
                return read_text(path), str(path), functools.partial(_unchanged, path, path.stat().st_mtime)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path, mtime: float) -> bool:
    return path.is_file() and path.stat().st_mtime == mtime
