"""The bulletin's words, from text templates (Jinja2) an analyst can edit without Python.

Each sentence, heading and fixed phrase (``heading_*``, ``appendix_*``, ``note_unranked``,
``no_business_env``…; the section numbers 一、（一） stay with the layout), and each slot where a
month may add text, is one template, ``<name>.j2``:

- the defaults ship in ``render/templates/wording/`` and reproduce the seed bulletin;
- a district overrides any of them in ``<workspace>/wording/<name>.j2``;
- a month overrides or fills one in ``months/<MONTH>/wording/<name>.j2`` (the ``after_*`` and
  ``closing`` slots are empty by default: a leader's remark, a paragraph after the commentary).

The short texts of the output that are not sentences (the analysis flavour's captions, axis
labels, leads and table heads, the workbook's sheet titles, the index page's heads and link
labels…) are the blocks of a few label sets, ``labels_<part>.j2``, one ``{% block name %}`` a
label. An override of a label set holds only the blocks it changes: a label is the month's
block if it has one, else the district's, else the default's (:meth:`Wording.label`). A label
set's blocks see FIGURES and the figures of their own place (:data:`LABEL_FIGURES`).

A template renders to text, not markup (the HTML templates escape it). Inside a paragraph a
line break is dropped (Chinese needs no space between lines); a blank line starts a new
paragraph. The figures a template may use are :data:`FIGURES`; the filters are ``cn``
(3 → 三), ``pct`` (0.885 → 88.5%; ``pct(trim=true)``, ``pct(0)``), ``trim_zeros`` (96.80 → 96.8)
and ``date`` (2023-05-17 → 2023年5月17日), beside the few of Jinja's own that
hotline.render.sandbox lists. Templates run in that sandbox: text, never code, their work
bounded. Overrides are checked when loaded: an unknown template name, figure, filter or label,
text outside a label set's blocks, or a syntax error, is an InputError naming the file and line;
so is whatever goes wrong rendering.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from hotline import config, periods
from hotline.errors import InputError, Problem
from hotline.inputs.text import TemplateLoader, read_text
from hotline.numfmt import chinese_number, percent, trim
from hotline.render.phrases import chinese_date
from hotline.render.sandbox import TIME_LIMIT, Refused, SecurityError, TimedOut, WordingSandbox

DEFAULTS = Path(__file__).parent / "templates" / "wording"
FOLDER = config.WORDING_DIR  # in a workspace and in a month folder
SUFFIX = ".j2"
# What the templates may use (hotline.render.sentences.figures makes them).
FIGURES = {
    "district", "issuer", "peer_group", "month", "month_number", "issue", "publish_date",
    "signed", "closed", "visited", "channels", "unresolved", "deduction", "rate",
    "city_rank", "good_units", "good_min_total", "good_min_signed", "full_marks",
    "units_with_visits", "below_count", "commentary", "bonus", "stories", "business_environment",
    "rules", "rate_decimals", "groups", "this_period", "last_period",
    "trend",  # the analysis flavour's 环比 (trend_paragraph only: hotline.render.sentences.trend_figures)
}
# What a quarter's or a year's templates (period_*, and any template of a period's folder) may use
# beside FIGURES (hotline.render.sentences.period_figures); a period has no month_number.
PERIOD_FIGURES = {"period", "period_kind", "period_label", "period_name", "year", "period_months", "period_rule",
                  "previous", "year_before"}
PERIOD_PREFIX = "period_"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A label set: a template whose blocks are the short texts of one part of the output (captions,
# axis labels, table heads, sheet titles, link labels), each block one label.
LABELS = "labels_"
# What a label set's blocks may use beside FIGURES: the figures of the label's own place (where
# one has a month figure's name, `visited` of a unit's rule, the label's own goes first).
LABEL_FIGURES = {
    "labels_bulletin": {"n", "units", "points"},
    "labels_analysis": {"month_label", "unit", "category", "rank", "change", "total", "unit_bonus", "counts",
                        "item", "group", "lost", "listed", "orders", "amount", "weight", "min_rate",
                        "deductions", "count", "caption", "number", "focus_count", "first_month", "last_month",
                        "topic_count", "shown", "unit_count"},
    "labels_charts": {"month_number", "year", "line", "rate", "visited", "count", "share", "change"},
    "labels_workbook": {"month_label", "heading", "title", "category", "sheet"},
    "labels_index": {"district", "rank"},
}
MONTHLESS = {"labels_index"}  # the index page spans the months: only its own figures


def names() -> list[str]:
    """The templates there are: every sentence, slot and label set, as the defaults name them."""
    return sorted(p.stem for p in DEFAULTS.glob(f"*{SUFFIX}"))


def figures_of(name: str, period: bool = False) -> set[str]:
    """The names template `name` may use: FIGURES, and a label set's own figures beside them; a
    period's template (period_*, or any in a period's folder: `period`) PERIOD_FIGURES too."""
    own = LABEL_FIGURES.get(name, set())
    if period or name.startswith(PERIOD_PREFIX):
        own = own | PERIOD_FIGURES
    return own if name in MONTHLESS else FIGURES | own


def _pct(value: Decimal | Fraction, places: int = 1, trim: bool = False) -> str:
    return percent(value, places, trim_zeros=trim)


_UNKNOWN = re.compile(r"No (filter|test) named '([^']+)'")  # Jinja's message for either


class _CompiledTemplates(jinja2.BytecodeCache):
    """Every template compiled once a process, whichever month's Wording loads it: Jinja keys a
    template by its name and file and checks its source, so an edited template is compiled anew.
    (Compiling the 37 templates took a quarter of a bulletin's build, in every month.)"""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()  # every environment below is configured alike, so they can share it


def _environment(folders: list[Path]) -> WordingSandbox:
    return WordingSandbox(
        {"cn": chinese_number, "pct": _pct, "trim_zeros": trim, "date": chinese_date},
        loader=TemplateLoader([str(f) for f in folders] + [str(DEFAULTS)]),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=_COMPILED,
    )


class Wording:
    """The templates of one month: the month's own, then the district's, then the defaults."""

    def __init__(self, workspace: Path | None = None, month: str | None = None):
        folders = []
        self.period_folder = None  # a quarter's or a year's own folder: its templates may use PERIOD_FIGURES
        if workspace is not None and month is not None:
            folders.append(config.input_folder(workspace, month) / FOLDER)
            if periods.is_period(month):
                self.period_folder = folders[0]
        if workspace is not None:
            folders.append(Path(workspace) / FOLDER)
        self.folders = [f for f in folders if f.is_dir()]
        self.env = _environment(self.folders)
        self._label_sets: dict[str, list[jinja2.Template]] = {}
        problems = self.check()
        if problems:
            raise InputError(problems)

    def check(self) -> list[Problem]:
        """Every override's problems: unknown names, syntax errors, figures that do not exist."""
        known = set(names())
        problems = []
        for folder in self.folders:
            for path in sorted(folder.iterdir()):
                if path.name.startswith("."):
                    continue
                if path.suffix != SUFFIX or path.stem not in known:
                    problems.append(Problem(path, "不是通报的文字模板", fix=f"文件名应为以下之一（扩展名 {SUFFIX}）: {'、'.join(sorted(known))}"))
                    continue
                problems += _check_template(self.env, path, period=folder == self.period_folder)
        return problems

    def text(self, name: str, figures: dict) -> str:
        """The template `name` rendered: paragraphs joined by a line break ('' when empty)."""
        return "\n".join(self.paragraphs(name, figures))

    def paragraphs(self, name: str, figures: dict) -> list[str]:
        """The template `name` rendered, as its paragraphs (none when it renders to nothing)."""
        template = self.env.get_template(name + SUFFIX)
        return _paragraphs(_render(self.env, template, figures, template.filename or name + SUFFIX))

    def label(self, labels: str, block: str, figures: dict) -> str:
        """The label `block` of the label set `labels` as one line of text: the month's block if it
        has one, else the district's, else the default's."""
        template = next((t for t in self._versions(labels) if block in t.blocks), None)
        if template is None:
            raise KeyError(f"no label {block!r} in {labels}{SUFFIX}")
        return "".join(_paragraphs(_render(self.env, template, figures, template.filename or labels + SUFFIX, block)))

    def labels(self, labels: str, figures: dict) -> Labels:
        """The label set `labels` for `figures` (the month's): labels("name", **more) renders one."""
        return Labels(self, labels, figures)

    def _versions(self, labels: str) -> list[jinja2.Template]:
        """The label set's templates, the month's first and the default last (each holds some blocks)."""
        if labels not in self._label_sets:
            folders = [f for f in [*self.folders, DEFAULTS] if (f / (labels + SUFFIX)).is_file()]
            self._label_sets[labels] = [TemplateLoader([str(f)]).load(self.env, labels + SUFFIX) for f in folders]
        return self._label_sets[labels]

    def paragraphs_of(self, source: str, figures: dict, origin: str) -> list[str]:
        """A template given as text (a notebook cell: `origin` names it in errors), as paragraphs."""
        try:
            template = self.env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError(_syntax_problem(self.env, origin, exc)) from None
        return _paragraphs(_render(self.env, template, figures, origin))


class Labels:
    """One label set's labels for one month: labels("caption_scores", category="街道") is that
    block rendered with the month's figures and the given ones."""

    def __init__(self, wording: Wording, name: str, figures: dict):
        self.wording, self.name, self.figures = wording, name, figures

    def __call__(self, block: str, **figures: Any) -> str:
        return self.wording.label(self.name, block, self.figures | figures)


def _render(env: WordingSandbox, template: jinja2.Template, figures: dict, origin: str,
            block: str | None = None) -> str:
    """`template` (its `block`, if given) rendered in the sandbox; whatever goes wrong, an
    InputError naming `origin` and its line."""
    try:
        return env.render(template, figures, block)
    except jinja2.UndefinedError as exc:
        problem = Problem(origin, f"模板里用了不存在的数字: {exc.message}", row=_failed_line(exc, template),
                          fix=f"可用的有: {'、'.join(sorted(FIGURES & set(figures)) or sorted(figures))}")
    except TimedOut:
        problem = Problem(origin, f"模板运行超过 {TIME_LIMIT:g} 秒，已停止", fix="检查模板里的循环")
    except (Refused, SecurityError) as exc:
        problem = Problem(origin, f"模板做了文字模板不能做的事: {exc}", row=_failed_line(exc, template),
                          fix="文字模板只能引用文档列出的数字和过滤器")
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, KeyError, IndexError) as exc:
        unknown = _UNKNOWN.match(str(exc))  # Jinja leaves a filter or test inside {% if %} to the render
        if unknown:
            problem = _unknown_problem(env, origin, unknown[1], unknown[2], _failed_line(exc, template))
        else:
            problem = Problem(origin, f"文字模板出错: {exc}", row=_failed_line(exc, template), fix="检查模板里的写法")
    raise InputError(problem) from None


def _failed_line(exc: BaseException, template: jinja2.Template) -> int | None:
    """The template line `exc` was raised at (Jinja rewrites its traceback to the template's lines)."""
    name = template.filename or "<template>"
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _syntax_problem(env: WordingSandbox, origin: str | Path, exc: jinja2.TemplateSyntaxError) -> Problem:
    """A template that does not compile: bad syntax, or a filter or test there is not."""
    unknown = _UNKNOWN.match(exc.message or "")
    if isinstance(exc, jinja2.TemplateAssertionError) and unknown:
        return _unknown_problem(env, origin, unknown[1], unknown[2], exc.lineno)
    return Problem(origin, f"模板语法错误: {exc.message}", row=exc.lineno, fix="检查 {{ }} 和 {% %} 是否成对")


def _unknown_problem(env: WordingSandbox, origin: str | Path, kind: str, name: str, line: int | None) -> Problem:
    """A filter (`| name`) or test (`is name`) the wording templates do not have."""
    if kind == "filter":
        return Problem(origin, f"模板里的过滤器「{name}」不存在", row=line,
                       fix=f"可用的过滤器有: {'、'.join(sorted(env.filters))}")
    return Problem(origin, f"模板里的判断「is {name}」不存在", row=line,
                   fix=f"可用的判断有: {'、'.join(sorted(t for t in env.tests if t.isidentifier()))}")


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; the lines of one paragraph join without a space."""
    blocks = _PARAGRAPH_BREAK.split(text.strip())
    return [b for b in ("".join(line.strip() for line in block.splitlines()) for block in blocks) if b]


def _check_template(env: WordingSandbox, path: Path, period: bool = False) -> list[Problem]:
    """A template that does not compile (with its line), or the figures it uses that do not exist."""
    source = read_text(path)
    try:
        parsed = env.parse(source, path.name, str(path))
        env.compile(parsed, path.name, str(path))
    except jinja2.TemplateSyntaxError as exc:
        return [_syntax_problem(env, path, exc)]
    known = figures_of(path.stem, period)
    unknown = sorted(meta.find_undeclared_variables(parsed) - known - {"range"})
    problems = [Problem(path, f"模板里的「{name}」不是可用的数字", row=_line_of(source, name),
                        fix=f"可用的有: {'、'.join(sorted(known))}") for name in unknown]
    if path.stem.startswith(LABELS):
        problems += _label_problems(env, parsed, path)
    # a filter or test inside {% if %} compiles and fails only when that branch renders
    for node in parsed.find_all((nodes.Filter, nodes.Test)):
        kind, defined = ("filter", env.filters) if isinstance(node, nodes.Filter) else ("test", env.tests)
        if node.name not in defined:
            problems.append(_unknown_problem(env, path, kind, node.name, node.lineno))
    return problems


def _label_problems(env: WordingSandbox, parsed: nodes.Template, path: Path) -> list[Problem]:
    """A label set's override: blocks the default does not have, text outside the blocks."""
    default = env.parse(read_text(DEFAULTS / path.name))
    labels = sorted(b.name for b in default.find_all(nodes.Block))
    problems = [Problem(path, f"「{b.name}」不是 {path.name} 里的文字", row=b.lineno, fix=f"可用的有: {'、'.join(labels)}")
                for b in parsed.find_all(nodes.Block) if b.name not in labels]
    for node in parsed.body:
        if isinstance(node, nodes.Output) and any(isinstance(n, nodes.TemplateData) and n.data.strip() for n in node.nodes):
            problems.append(Problem(path, "文字写在了 {% block %} 之外，不会出现在通报里", row=node.lineno,
                                    fix="每处文字写在 {% block 名称 %} 和 {% endblock %} 之间"))
    return problems


def _line_of(source: str, name: str) -> int | None:
    """The first line of `source` that mentions `name`."""
    for i, line in enumerate(source.splitlines(), 1):
        if re.search(rf"\b{re.escape(name)}\b", line):
            return i
    return None
