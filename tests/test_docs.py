"""The docs' examples work as written: every command shown parses (hotline's own parser, the
Makefile's targets, nbconvert's registered exporters), and every template and notebook example of
the analysts' guide runs on every month of the sample."""

from __future__ import annotations

import dataclasses
import re
import shlex
from importlib.metadata import entry_points
from pathlib import Path

import matplotlib
import pytest
import wheelhouse

from hotline import cli, config, months, periods
from hotline.bulletin import build_bulletin
from hotline.inputs.workspace import load_workspace
from hotline.render import analysis
from hotline.render.wording import FOLDER, LABELS, Wording

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "rendering.md", ROOT / "docs" / "editing.md"]
GUIDE = ROOT / "docs" / "editing.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# how the docs start a command; the rest of the line is hotline's arguments
HOTLINE = re.compile(r"^(?:\.venv/bin/|\.venv\\Scripts\\)?(?:hotline|(?:python|\.venv/bin/python) -m hotline)\s+(.*)$")
# scripts/wheelhouse.py as the build machine runs it (Linux, or Windows's py launcher); the rest: its arguments
WHEELHOUSE = re.compile(r"^(?:python3?|py -3\.\d+) scripts[/\\]wheelhouse\.py\s+(.*)$")
PLACEHOLDER = re.compile(r"[<>…\[\]|]")  # `hotline tables 2023-03 [--data DIR]`: a synopsis, not a command


def blocks(path: Path, *langs: str) -> list[tuple[str, str]]:
    """The fenced blocks of a Markdown file as (language, text), those of `langs` only if given."""
    found = [(m[1], m[2]) for m in FENCE.finditer(path.read_text(encoding="utf-8"))]
    return [(lang, text) for lang, text in found if not langs or lang in langs]


def commands(path: Path) -> list[str]:
    """The commands a doc shows: lines of its sh blocks and inline code, without comments."""
    text = path.read_text(encoding="utf-8")
    lines = [re.sub(r"\s+#.*$", "", line).strip() for _, block in blocks(path, "sh") for line in block.splitlines()]
    inline = re.findall(r"`((?:\.venv/bin/|python -m |\.venv/bin/python -m )?(?:hotline|make|jupyter) [^`]+)`", text)
    lines += [c for c in inline if not re.fullmatch(r"hotline \w+", c)]  # `hotline run`: the command's name
    lines += re.findall(r"`((?:python3?|py -3\.\d+) scripts[/\\]wheelhouse\.py [^`]+)`", text)
    return [line for line in lines if line and not PLACEHOLDER.search(line)]


def offline_commands() -> set[str]:
    """The commands of the README.txt a wheelhouse carries, for a Windows and a Linux PC with Python 3.11."""
    found = set()
    for target in (wheelhouse.Target("win_amd64", "3.11"), wheelhouse.Target("manylinux_2_28_x86_64", "3.11")):
        found |= {line.strip() for line in wheelhouse.install_files(target)["README.txt"].decode("utf-8").splitlines()}
    return found


def _makefile_targets() -> set[str]:
    return set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_shown_parses(doc):
    shown = commands(doc)
    assert shown, f"{doc.name} shows no command"
    targets = _makefile_targets()
    exporters = {e.name for e in entry_points(group="nbconvert.exporters")}
    installs = offline_commands()
    for line in shown:
        words = shlex.split(line)
        if m := WHEELHOUSE.match(line):
            try:
                args = wheelhouse.parser().parse_args(shlex.split(m[1]))
                assert args.out or args.resolve_only, line
                if args.platform:
                    wheelhouse.platform_tags(args.platform)  # refuses a platform it does not know
            except SystemExit:
                pytest.fail(f"{doc.name}: {line}")
        elif re.search(r" -m (?:venv|pip) |install\.(?:bat|sh)$", line):  # on the office PC: as the wheelhouse says
            assert line in installs, f"{doc.name}: {line} is not what a wheelhouse's README.txt shows"
        elif m := HOTLINE.match(line):
            try:
                args, _ = cli.parse(shlex.split(m[1]))
            except SystemExit:  # argparse's way of refusing
                pytest.fail(f"{doc.name}: {line}")
            for spec in getattr(args, "months", None) or []:
                assert periods.expand([spec]), line
        elif words[0] == "make":
            assert {w for w in words[1:] if "=" not in w} <= targets, line
        elif words[:2] == ["jupyter", "nbconvert"]:
            assert words[words.index("--to") + 1] in exporters, line
        elif words[0] == "jupyter":
            assert words[1] == "lab", line
        else:
            assert words[0] in {"source", "pip", "python", ".venv/bin/python"} or words[0].startswith("."), line


# --------------------------------------------------------------------------- the analysts' guide


@pytest.fixture(scope="module")
def contexts():
    """Every sample month's wording figures (the context templates and %%bulletin cells see)."""
    ws = load_workspace(config.DEFAULT_WORKSPACE)
    found = months.month_folders(config.DEFAULT_WORKSPACE / config.MONTHS_DIR)
    assert len(found) == 6
    return {month: build_bulletin(month, ws) for month in found}


def template_examples() -> list[tuple[str, str]]:
    """(template name, source) of each jinja example that follows a path `…/wording/<name>.j2`."""
    found, name = [], None
    for lang, text in blocks(GUIDE):
        path = re.fullmatch(rf"\S*/{FOLDER}/(\w+)\.j2\s*", text)
        if path:
            name = path[1]
        elif lang == "jinja" and not text.startswith("%%bulletin"):
            assert name, f"a template example with no path before it: {text[:30]}"
            found.append((name, text))
            name = None
    return found


def test_the_guide_has_its_examples():
    assert [n for n, _ in template_examples()] == ["below_lead", "labels_analysis", "after_commentary"]
    assert [t for _, t in blocks(GUIDE, "jinja") if t.startswith("%%bulletin")]
    assert blocks(GUIDE, "python")


@pytest.mark.parametrize("name, source", template_examples(), ids=lambda v: v if len(v) < 30 else "")
def test_each_template_example_renders_in_every_month(tmp_path, contexts, name, source):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / f"{name}.j2").write_text(source, encoding="utf-8")
    wording = Wording(tmp_path)
    for month, b in contexts.items():
        text = render_example(wording, name, source, b)
        assert text and "{" not in text, month
    march = render_example(wording, name, source, contexts["2023-03"])
    if name == "below_lead":  # the guide's change, the lead clause kept
        assert "我区有47个单位有回访工单" in march and "市场监管局问题解决率为79.2%，请该单位认真分析原因、限期整改。" in march
    if name == "labels_analysis":
        assert march == "各单位问题解决率排行（2023年3月，全区88.5%）|本部分供各单位内部参考，不对外发布。"


def render_example(wording: Wording, name: str, source: str, b) -> str:
    """An example template rendered for bulletin `b`: a sentence's text, or a label set's blocks
    (the guide's is of the analysis flavour) as their labels joined by |."""
    if not name.startswith(LABELS):
        return wording.text(name, b.context)
    assert name == analysis.LABELS
    label = analysis.labels(dataclasses.replace(b, wording=wording))
    return "|".join(label(block) for block in re.findall(r"{% block (\w+) %}", source))


def test_the_bulletin_cell_example_renders_in_every_month(contexts):
    (cell,) = [t for _, t in blocks(GUIDE, "jinja") if t.startswith("%%bulletin")]
    body = cell.split("\n", 1)[1]
    for month, b in contexts.items():
        (paragraph,) = Wording().paragraphs_of(body, b.context, "单元格")
        assert "{" not in paragraph, month
    assert "本月13个单位问题解决率低于全区" in Wording().paragraphs_of(body, contexts["2023-03"].context, "单元格")[0]


def test_the_chart_example_runs(contexts):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after the backend is chosen

    (code,) = [t for _, t in blocks(GUIDE, "python")]
    namespace = {"b": contexts["2023-03"]}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # the guide's own code, on the sample month
    (ax,) = plt.gcf().axes
    assert [p.get_height() for p in ax.patches] == [5804, 5231, 5150]
    plt.close("all")


# --------------------------------------------------------------------------- times


def _docs_figures():
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "benchmarks" / "docs_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# A time outside a figures block: a measured time typed by hand, which goes stale. The limits a
# template runs under are settings, not measurements.
MEASURED_TIME = re.compile(r"\d+(?:\.\d+)?\s?(?:ms|s|秒)(?![\w])")
LIMITS = ("time (2 s a template)", "运行最多 2 秒")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_time_in_the_docs_comes_from_the_benchmarks(doc):
    figures = _docs_figures()
    text = doc.read_text(encoding="utf-8")
    assert figures.rewrite(text, figures.figures()) == text, (
        f"{doc.name}: a figures block differs from the benchmarks' JSON: run benchmarks/docs_figures.py")
    outside = figures.BLOCK.sub("", text)
    for limit in LIMITS:
        outside = outside.replace(limit, "")
    assert MEASURED_TIME.findall(outside) == [], f"{doc.name}: a time typed by hand; put it in a figures block"


def test_a_figures_block_is_written_from_the_json():
    figures = _docs_figures()
    f = figures.figures()
    f["bench"]["sample"]["warm"] = {**f["bench"]["sample"]["warm"], "total": 9.87, "html": 0.042}
    text = "x\n<!-- figures:sample-month -->\nold\n<!-- /figures -->\ny\n"
    new = figures.rewrite(text, f)
    assert "`official` 9.9 s" in new and "HTML 0.04 s" in new and "old" not in new
    assert new.startswith("x\n<!-- figures:sample-month -->\nTime on") and new.endswith("<!-- /figures -->\ny\n")
