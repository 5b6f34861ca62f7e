"""Reruns: the same inputs give the same bytes; runs at once cannot corrupt a month; a rerun replaces it whole.

The sample month is run twice into one output root: the first run's folder is
copied aside, a stale file is dropped into it, and the second run must replace it byte for byte.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hotline import config
from hotline.cli import main
from hotline.names import PERSONAL_COLUMNS
from hotline.render import fonts
from hotline.run.month import render_month
from hotline.run.publish import publishing

pytestmark = pytest.mark.slow  # renders months

MONTH = "2023-03"
SAMPLE = config.DEFAULT_WORKSPACE
SAME_BYTES = ["bulletin.html", "bulletin.pdf", "bulletin.docx", "analysis.docx", "bulletin.xlsx", config.REPORT_FILE,
              f"{config.UNITS_DIR}/{config.UNIT_CSS_FILE}"] + [
    f"tables/{name}" for name in [*config.TABLE_FILES.values(), config.SUMMARY_FILE]]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """(first run's folder, second run's folder, the first run's terminal output).

    The first run is `hotline run`; the second calls render_month, which renders even when
    nothing changed (`hotline run` may skip a month whose inputs are unchanged).
    """
    root = tmp_path_factory.mktemp("reruns")
    log = root / "log.txt"
    with open(log, "w", encoding="utf-8") as stream, _redirected(stream):
        assert main(["run", MONTH, "--data", str(SAMPLE), "--out", str(root / "out"), "--no-progress"]) == 0
    target = config.month_output_dir(SAMPLE, MONTH, root / "out")
    first = shutil.copytree(target, root / "first")
    (target / "stale.txt").write_text("from an earlier export", encoding="utf-8")
    fonts.subset_woff.cache_clear()  # the fonts subset anew, as in another process
    result = render_month(MONTH, SAMPLE, root / "out")
    assert result.ok, result.error + "\n" + result.detail
    return first, target, log.read_text(encoding="utf-8")


class _redirected:
    """Send sys.stdout and sys.stderr to `stream` (the run's log, to scan for personal data)."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        import sys

        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.stream

    def __exit__(self, *exc):
        import sys

        sys.stdout, sys.stderr = self.saved


def test_rerun_gives_identical_bytes(two_runs):
    first, second, _ = two_runs
    for name in SAME_BYTES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_rerun_gives_identical_workbook_cells(two_runs):
    first, second, _ = two_runs
    assert _cells(first / "bulletin.xlsx") == _cells(second / "bulletin.xlsx")


def _cells(path: Path) -> dict:
    book = load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.number_format)
            for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None}


def test_html_carries_no_timestamps_or_random_ids(two_runs):
    html = (two_runs[1] / "bulletin.html").read_text(encoding="utf-8")
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", html)  # ISO times (papermill's, nbconvert's)
    assert not re.search(r"\bid=\"[0-9a-f]{8}(-[0-9a-f]{4}){3}", html)  # uuid-like element ids


def test_pdf_is_dated_by_the_publish_date(two_runs):
    info = PdfReader(two_runs[1] / "bulletin.pdf").metadata
    assert info["/CreationDate"].startswith("D:20230517") and info["/ModDate"].startswith("D:20230517")


def test_rerun_replaces_the_month_whole(two_runs):
    first, second, _ = two_runs
    assert not (second / "stale.txt").exists()
    assert not [p.name for p in second.parent.iterdir() if p.name.startswith(".")]  # nothing staged left over


def test_no_personal_data_in_workbook_cells_or_the_run_log(two_runs, personal_values):
    """test_render.py scans every output file's text; this adds Excel cells as openpyxl reads them and the log."""
    values = personal_values
    cells = "\n".join(str(v) for v, _ in _cells(two_runs[1] / "bulletin.xlsx").values())
    log = two_runs[2]
    assert MONTH in log
    assert not [v for v in values if v in cells or v in log]
    assert not [c for c in PERSONAL_COLUMNS if c in log]


# --------------------------------------------------------------------------- runs at once


def _publish_many(target: str, tag: str, times: int = 60) -> None:
    """Publish `times` complete outputs (20 files, all saying the same) to `target`."""
    for i in range(times):
        with publishing(Path(target)) as tmp:
            for k in range(20):
                (tmp / f"f{k}.txt").write_text(f"{tag}-{i}", encoding="utf-8")


def _assert_one_complete_output(target: Path) -> None:
    assert sorted(p.name for p in target.iterdir()) == sorted(f"f{k}.txt" for k in range(20))
    assert len({p.read_text(encoding="utf-8") for p in target.iterdir()}) == 1  # all from one run
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no staging folders left


def test_two_processes_publishing_one_month_at_once(tmp_path):
    target = tmp_path / "out" / MONTH
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_publish_many, args=(str(target), tag)) for tag in "ab"]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    _assert_one_complete_output(target)


def test_two_threads_publishing_one_month_at_once(tmp_path):
    target = tmp_path / "out" / MONTH
    errors = []

    def work(tag):
        try:
            _publish_many(str(target), tag)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _assert_one_complete_output(target)


def test_rerun_after_a_corrected_export_leaves_no_file_of_the_old_output(tmp_path):
    target = tmp_path / "out" / MONTH
    with publishing(target) as tmp:
        (tmp / "a.txt").write_text("old", encoding="utf-8")
        (tmp / "only-old.txt").write_text("old", encoding="utf-8")
    with publishing(target) as tmp:
        (tmp / "a.txt").write_text("new", encoding="utf-8")
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {"a.txt": "new"}
