"""Wording templates are text, never code: what a template in a shared workspace folder tries
beyond wording the bulletin is refused, naming the file and line, and its work is bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hotline.errors import InputError
from hotline.render import sandbox
from hotline.render.wording import FOLDER, Wording

SECRET = "这是不该出现在通报里的文件内容"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def district_template(tmp_path, name: str, source: str):
    """A workspace whose district wording holds `name`.j2 = `source`."""
    (tmp_path / FOLDER).mkdir(exist_ok=True)
    (tmp_path / FOLDER / f"{name}.j2").write_text(source, encoding="utf-8")
    return tmp_path


def problem_of(bulletin, workspace, name="closing"):
    """The single problem of rendering `name` from `workspace` (checking and rendering, as a run does)."""
    with pytest.raises(InputError) as caught:
        Wording(workspace).text(name, bulletin.context)
    (problem,) = caught.value.problems
    return problem


ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "lipsum globals": "第一行\n{{ lipsum.__globals__['os'].popen('id').read() }}",
    "joiner": "{{ joiner()._Joiner__sep }}",
    "self's context": "{{ self._TemplateReference__context }}",
    "string internals": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format string": "{{ '{0.__class__}'.format(district) }}",
    "namespace": "{% set ns = namespace(a=1) %}{{ ns.a }}",
    "figure method": "{{ commentary.__class__ }}",
    "dict mutation": "{% set _ = channels.update({'x': 1}) %}{{ channels }}",
    "decimal method": "{{ rate.as_integer_ratio() }}",
    "percent formatting": "{{ '%999999s' % 1 }}",
}


@pytest.mark.parametrize("source", ESCAPES.values(), ids=ESCAPES.keys())
def test_an_escape_is_refused_naming_the_file(bulletin, tmp_path, source):
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert (Path(problem.file).name, problem.row) == ("closing.j2", source.count("\n") + 1)
    assert "uid=" not in str(problem)


def test_a_template_that_tries_to_read_a_file_is_refused_with_its_line(bulletin, tmp_path, secret):
    source = ("{{ month_number }}月。\n"
              f"{{{{ cycler.__init__.__globals__.__builtins__.open('{secret}').read() }}}}\n")
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert (Path(problem.file).name, problem.row) == ("closing.j2", 2)
    assert SECRET not in str(problem)


def test_a_template_that_tries_to_run_a_command_is_refused_with_its_line(bulletin, tmp_path):
    marker = tmp_path / "ran"
    source = f"本月。\n\n{{% set x = lipsum.__globals__.os.system('touch {marker}') %}}\n"
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert (Path(problem.file).name, problem.row) == ("closing.j2", 3)
    assert not marker.exists()


def test_include_cannot_leave_the_wording_folders(bulletin, tmp_path, secret):
    source = "{% include '../secret.txt' %}"
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert SECRET not in str(problem)


def test_only_the_documented_filters(bulletin, tmp_path):
    workspace = district_template(tmp_path, "closing", "本月\n{{ district | tojson }}")
    with pytest.raises(InputError) as caught:
        Wording(workspace)  # caught when loaded, before any month renders (hotline validate too)
    (problem,) = caught.value.problems
    assert (Path(problem.file).name, problem.row) == ("closing.j2", 2)
    assert "tojson" in problem.message and "pct" in problem.fix and "<introspection>" not in str(problem)


def test_an_unknown_test_is_named_too(bulletin, tmp_path):
    problem = problem_of(bulletin, district_template(tmp_path, "closing", "本月\n{% if rate is strange %}x{% endif %}"))
    assert (Path(problem.file).name, problem.row) == ("closing.j2", 2) and "strange" in problem.message


@pytest.mark.parametrize("source, says, fix", [
    ("本月\n{% if rate %}{{ district | tojson }}{% endif %}", "过滤器「tojson」", "trim_zeros"),
    ("本月\n{% if rate is strange %}x{% endif %}", "判断「is strange」", "defined"),
])
def test_a_filter_or_test_in_a_branch_is_named_when_loaded(tmp_path, source, says, fix):
    """Jinja compiles a filter or test inside {% if %} and fails only if the branch renders: the
    check finds it before any month does, with its file, line and the names there are."""
    with pytest.raises(InputError) as caught:
        Wording(district_template(tmp_path, "closing", source))
    (problem,) = caught.value.problems
    assert (Path(problem.file).name, problem.row) == ("closing.j2", 2)
    assert says in problem.message and fix in problem.fix and "!=" not in problem.fix


def test_a_cell_template_with_an_unknown_test_names_the_cell(bulletin):
    """A %%bulletin cell is rendered, not checked first: the render names the cell and the line."""
    with pytest.raises(InputError) as caught:
        Wording().paragraphs_of("第一段\n\n{% if rate is strange %}x{% endif %}", bulletin.context, "单元格 3")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("单元格 3", 3) and "判断「is strange」" in problem.message


def test_the_documented_figures_and_filters_still_work(bulletin, tmp_path):
    source = ("{% for name, n in commentary.top_categories %}{{ name }}{{ n }}件{{ '、' if not loop.last }}{% endfor %}；"
              "{{ rate | pct(trim=true) }}；{{ month_number | cn }}月；{{ good_units | length }}个；"
              "{{ channels.items() | map('first') | join('、') }}；{{ publish_date.year }}；{{ district | replace('区', '') }}"
              "{% for i in range(3) %}{{ i }}{% endfor %}")
    text = Wording(district_template(tmp_path, "closing", source)).text("closing", bulletin.context)
    assert text.startswith("城市管理") or "件" in text
    assert f"；{bulletin.context['publish_date'].year}；" in text and text.endswith("012")
    assert "；三月；" in text


BOUNDS = {
    "a long range": "{% for i in range(20000) %}{% endfor %}",
    "nested ranges": "{% for i in range(200) %}{% for j in range(200) %}{% endfor %}{% endfor %}",
    "a long text": "{{ 'x' * 1000000 }}",
    "a long list": "{{ [1] * 1000000 }}",
    "doubling by ~": "{% set a = 'x' * 90000 %}{% set b = a ~ a %}{{ b | length }}",
    "doubling by +": "{% set a = 'x' * 90000 %}{{ (a + a) | length }}",
    "a big join": "{{ range(5000) | join('x' * 1000) }}",
    "a big replace": "{{ ('x' * 1000) | replace('x', 'y' * 1000) }}",
    "much output": "{% for i in range(9000) %}{{ 'x' * 50 }}{% endfor %}",
    "a huge power": "{{ 10 ** 100000 }}",
}


@pytest.mark.parametrize("source", BOUNDS.values(), ids=BOUNDS.keys())
def test_a_templates_work_is_bounded(bulletin, tmp_path, source):
    started = time.perf_counter()
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert str(problem.file).endswith("closing.j2") and "不能" in problem.message
    assert time.perf_counter() - started < 1.5


def test_a_template_that_runs_too_long_is_stopped(bulletin, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.05)
    monkeypatch.setattr(sandbox, "MAX_STEPS", 10**9)
    source = "{% for i in range(10**8) %}{% if i is odd %}{% endif %}{% endfor %}"
    started = time.perf_counter()
    problem = problem_of(bulletin, district_template(tmp_path, "closing", source))
    assert "秒" in problem.message and time.perf_counter() - started < 1.0


def test_the_deadline_does_not_fire_after_the_block(monkeypatch):
    with sandbox._deadline(0.01):
        pass
    time.sleep(0.05)  # the timer was cancelled: nothing is raised into this thread now


def test_a_deadline_sooner_than_those_watched_fires_on_time():
    """The watchdog, asleep until a later deadline, is woken for a sooner one: within the outer
    block's time, the inner block is stopped at its own."""
    started = time.perf_counter()
    with pytest.raises(sandbox.TimedOut), sandbox._deadline(5), sandbox._deadline(0.05):
        while time.perf_counter() - started < 2:
            pass
    assert time.perf_counter() - started < 1


def test_a_notebook_cell_is_sandboxed_too(bulletin):
    with pytest.raises(InputError) as caught:
        Wording().paragraphs_of("好\n{{ cycler.__init__ }}", bulletin.context, "%%bulletin 单元格")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("%%bulletin 单元格", 2)
