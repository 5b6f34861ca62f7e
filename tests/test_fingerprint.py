"""`hotline run` skips a month made from unchanged inputs, and renders it again when one changes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from hotline import config
from hotline.config import FINGERPRINT_FILE
from hotline.run import batch, fingerprint
from hotline.run.fingerprint import month_fingerprint, write_fingerprint
from hotline.run.month import MonthResult

pytestmark = pytest.mark.slow  # renders months

MONTH = "2023-03"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of the sample workspace (its parsed-export cache too, when there is one)."""
    ws = tmp_path_factory.mktemp("ws") / "sample"
    shutil.copytree(config.DEFAULT_WORKSPACE, ws)
    return ws


@pytest.fixture(scope="module")
def rendered(workspace, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    [result] = batch.run_months([MONTH], workspace, out, progress=False)
    assert result.ok and not result.skipped, result.detail
    return out


def _calls(monkeypatch) -> list[str]:
    """Record the months render_month is asked for, without rendering them."""
    calls: list[str] = []

    def fake(month, *args):
        calls.append(month)
        return MonthResult(month, True, Path(args[1]) / month)

    monkeypatch.setattr(batch, "render_month", fake)
    return calls


def test_run_records_the_fingerprint(workspace, rendered):
    folder = config.month_output_dir(workspace, MONTH, rendered)
    recorded = json.loads((folder / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    assert recorded == month_fingerprint(workspace, MONTH)
    assert set(recorded["month_folder"]) >= {"month.yaml", "city_ranking.csv"}
    assert list(recorded["orders"]) == ALL_MONTHS  # the rows of each month of the history window
    assert "typst" in recorded["package"]["libraries"]


def test_unchanged_month_is_skipped(workspace, rendered, monkeypatch):
    folder = config.month_output_dir(workspace, MONTH, rendered)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    calls = _calls(monkeypatch)
    [result] = batch.run_months([MONTH], workspace, rendered, progress=False)
    assert result.ok and result.skipped and calls == []
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    batch.run_months([MONTH], workspace, rendered, progress=False, force=True)
    assert calls == [MONTH]


# --------------------------------------------------------------------------- exactly the months a change reaches

ALL_MONTHS = ["2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03"]


@pytest.fixture
def batch_done(tmp_path, workspace, monkeypatch):
    """A copy of the sample whose six months look rendered (each folder holds its outputs and
    fingerprint), and a function that tells which months `hotline run` renders again."""
    ws = tmp_path / "sample"
    shutil.copytree(workspace, ws)
    out = tmp_path / "out"
    outputs = [config.NOTEBOOK_FILE, *(name for f in ("official", "analysis") for name in config.flavour_files(f))]
    for month in ALL_MONTHS:
        folder = config.month_output_dir(ws, month, out)
        folder.mkdir(parents=True)
        for name in outputs:
            (folder / name).write_bytes(b"")
        write_fingerprint(folder, month_fingerprint(ws, month))

    def rerendered() -> list[str]:
        calls = _calls(monkeypatch)
        batch.run_months(ALL_MONTHS, ws, out, progress=False)
        return calls

    return ws, rerendered


def _change_a_march_only_order(ws: Path) -> None:
    """Change the satisfaction of one order whose every time lies in March 2023 (in the batch that wins)."""
    path = ws / config.EXPORTS_DIR / "2023-03_工单明细_第2批.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for i, line in enumerate(lines[1:], 1):
        fields = line.split(",")
        times = [f for f in fields if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", f)]
        if times and all(t.startswith("2023-03") for t in times) and fields[17] == "满意":
            fields[17] = "基本满意"
            lines[i] = ",".join(fields)
            break
    else:
        raise AssertionError("no March-only order found")
    path.write_text("".join(lines), encoding="utf-8-sig")


def _append(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((path.read_bytes() if path.exists() else b"") + data)


CHANGES = {
    "nothing": (lambda ws: None, []),
    "this month's month.yaml": (lambda ws: _append(ws / "months/2023-03/month.yaml", b"\n"), ["2023-03"]),
    "last month's month.yaml (环比)": (lambda ws: _append(ws / "months/2023-02/month.yaml", b"\n"), ["2023-02", "2023-03"]),
    "a month's wording slot": (lambda ws: _append(ws / "months/2023-01/wording/closing.j2", "特此通报。".encode()), ["2023-01", "2023-02", "2023-03"]),
    "the district's wording": (lambda ws: _append(ws / "wording/closing.j2", "特此通报。".encode()), ALL_MONTHS),
    "an office font": (lambda ws: _append(ws / "fonts/仿宋_GB2312.ttf", b"not really a font"), ALL_MONTHS),
    "district.yaml": (lambda ws: _append(ws / "district.yaml", b"\n"), ALL_MONTHS),
    "units.csv": (lambda ws: _append(ws / "units.csv", b"\n"), ALL_MONTHS),
    "an export, its rows unchanged": (lambda ws: _append(ws / "exports/2023-01_工单明细.csv", b"\n"), []),
    "a March order in an export": (_change_a_march_only_order, ["2023-03"]),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_renders_exactly_the_months_it_reaches(batch_done, change):
    ws, rerendered = batch_done
    make_change, expected = change
    make_change(ws)
    assert rerendered() == expected


def test_a_change_of_the_package_renders_every_month(batch_done, monkeypatch):
    ws, rerendered = batch_done
    monkeypatch.setattr(fingerprint, "package_digest", lambda: "a changed template")
    assert rerendered() == ALL_MONTHS


def test_a_flavour_missing_from_the_folder_is_rendered(workspace, rendered, monkeypatch):
    folder = config.month_output_dir(workspace, MONTH, rendered)
    calls = _calls(monkeypatch)
    batch.run_months([MONTH], workspace, rendered, progress=False, flavours=("official",))
    assert calls == []  # both flavours are there
    (folder / "analysis.pdf").rename(folder.parent / "analysis.pdf")
    try:
        batch.run_months([MONTH], workspace, rendered, progress=False, flavours=("official",))
        assert calls == []
        batch.run_months([MONTH], workspace, rendered, progress=False)  # both: the analysis PDF is missing
        assert calls == [MONTH]
    finally:
        (folder.parent / "analysis.pdf").rename(folder / "analysis.pdf")
