"""`hotline run` skips a month made from unchanged inputs, and renders it again when one changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hotline import config
from hotline.config import FINGERPRINT_FILE
from hotline.run import batch
from hotline.run.fingerprint import month_fingerprint
from hotline.run.month import MonthResult

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
    recorded = (folder / FINGERPRINT_FILE).read_text(encoding="utf-8")
    assert f'"{MONTH}"' in recorded and "exports" in recorded
    assert month_fingerprint(workspace, MONTH)["month_folder"]  # month.yaml, city table, stories


def test_unchanged_month_is_skipped(workspace, rendered, monkeypatch):
    folder = config.month_output_dir(workspace, MONTH, rendered)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    calls = _calls(monkeypatch)
    [result] = batch.run_months([MONTH], workspace, rendered, progress=False)
    assert result.ok and result.skipped and calls == []
    assert result.timings["total"] < 0.5
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    batch.run_months([MONTH], workspace, rendered, progress=False, force=True)
    assert calls == [MONTH]


@pytest.mark.parametrize("change", ["month.yaml", "export", "settings", "last month"])
def test_changed_input_runs_the_month_again(workspace, rendered, monkeypatch, change):
    files = {"month.yaml": workspace / config.MONTHS_DIR / MONTH / config.MONTH_FILE,
             "export": sorted((workspace / config.EXPORTS_DIR).glob("*.csv"))[0],
             "settings": workspace / config.SETTINGS_FILE,
             "last month": workspace / config.MONTHS_DIR / "2023-02" / config.MONTH_FILE}  # 环比 of the analysis
    path = files[change]
    original = path.read_bytes()
    calls = _calls(monkeypatch)
    try:
        path.write_bytes(original + b"\n")
        batch.run_months([MONTH], workspace, rendered, progress=False)
        assert calls == [MONTH]
    finally:
        path.write_bytes(original)
    batch.run_months([MONTH], workspace, rendered, progress=False)
    assert calls == [MONTH]  # restored: skipped again


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
