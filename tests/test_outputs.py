"""The output side: faults in words naming the path, formula-safe CSV, file names a file system
takes, and staging folders of killed runs removed."""

from __future__ import annotations

import dataclasses
import errno
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from hotline import config
from hotline.cli import main
from hotline.errors import OUTPUT_HEADING, OutputError
from hotline.render.analysis import UNIT_NAME_BYTES, unit_file_name
from hotline.run.month import describe
from hotline.run.outputs import spreadsheet_text, write_tables
from hotline.run.publish import STALE_AFTER, locked, publishing, remove_stale

# --------------------------------------------------------------------------- CSV cells that would be formulas


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("-0.2", "-0.2"), ("+5%", "+5%"), ("-", "-"), ("城市管理", "城市管理"), (3, 3), (None, None),
])
def test_a_text_a_spreadsheet_would_run_is_guarded(cell, written):
    assert spreadsheet_text(cell) == written


def test_csv_tables_guard_formula_text(bulletin, tmp_path):
    topics = pd.DataFrame({"序号": [1, 2], "诉求类型": ["=1+1", "城市管理"], "件数": [-3, 5]})
    b = dataclasses.replace(bulletin, text=dataclasses.replace(bulletin.text, tables={"hot_topics": topics}))
    written = write_tables(b, tmp_path)
    assert [p.name for p in written] == [config.TABLE_FILES["hot_topics"], config.SUMMARY_FILE]  # only the tables it has
    text = (tmp_path / config.TABLE_FILES["hot_topics"]).read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["序号,诉求类型,件数", "1,'=1+1,-3", "2,城市管理,5"]


# --------------------------------------------------------------------------- unit file names


def test_a_long_unit_name_gets_a_file_name_the_file_system_takes(tmp_path):
    long_a, long_b = "芙蓉区" + "城市管理和综合执法" * 12 + "甲局", "芙蓉区" + "城市管理和综合执法" * 12 + "乙局"
    a, b = unit_file_name(long_a), unit_file_name(long_b)
    assert a != b and len(Path(a).stem.encode("utf-8")) <= UNIT_NAME_BYTES
    (tmp_path / a).write_text("ok", encoding="utf-8")  # the file system accepts it
    (tmp_path / unit_file_name(long_a.replace("城市", "城/市:"))).write_text("ok", encoding="utf-8")


def test_a_usual_unit_name_is_its_file_name():
    assert unit_file_name("芙蓉区城市管理和综合执法局") == "芙蓉区城市管理和综合执法局.html"
    assert unit_file_name("文艺路街道/办事处 ") == "文艺路街道_办事处_.html"
    assert unit_file_name("..隐藏") == "隐藏.html"


# --------------------------------------------------------------------------- faults in words


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "磁盘已满"), (errno.EROFS, "只读"), (errno.EACCES, "没有写入权限"),
    (errno.ENOTDIR, "是文件而不是文件夹"), (errno.ENAMETOOLONG, "太长"),
])
def test_an_os_fault_is_said_in_words_with_its_path(code, words):
    report = OutputError.from_os_error(OSError(code, os.strerror(code), "/out/芙蓉区/2023-03/bulletin.pdf")).report()
    assert report.startswith(OUTPUT_HEADING) and words in report and "/out/芙蓉区/2023-03/bulletin.pdf" in report
    assert "Errno" not in report and os.strerror(code) not in report


def test_a_fault_in_the_notebook_is_said_in_words_too():
    failed = SimpleNamespace(ename="OSError", evalue="[Errno 28] No space left on device: '/out/2023-03/units/x.pdf'")
    said = describe(failed)
    assert "磁盘已满" in said and "/out/2023-03/units/x.pdf" in said and "Errno" not in said


def test_a_file_where_the_output_folder_should_be_is_named(tmp_path, capsys):
    blocker = tmp_path / "output"
    blocker.write_text("", encoding="utf-8")
    assert main(["tables", "2023-03", "--out", str(blocker / "tables")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(OUTPUT_HEADING) and str(blocker) in err and "--out" in err and "Traceback" not in err


def test_hotline_output_naming_a_file_is_named(tmp_path):
    blocker = tmp_path / "out.txt"
    blocker.write_text("", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hotline.cli", "run", "2023-03"], capture_output=True, text=True,
                          env={**os.environ, "HOTLINE_OUTPUT": str(blocker)}, timeout=120)
    assert done.returncode == 2 and "HOTLINE_OUTPUT" in done.stderr and str(blocker) in done.stderr
    assert "Traceback" not in done.stderr


def test_publishing_under_a_file_is_an_output_error(tmp_path):
    blocker = tmp_path / "芙蓉区"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as caught, publishing(blocker / "2023-03"):
        pass
    assert "文件" in caught.value.message


# --------------------------------------------------------------------------- staging folders of killed runs


def _staging(parent: Path, name: str, age: float) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "bulletin.pdf").write_bytes(b"half")
    past = time.time() - age
    os.utime(folder, (past, past))
    return folder


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(tmp_path):
    target = tmp_path / "2023-03"
    killed = _staging(tmp_path, ".2023-03.new-abc123", STALE_AFTER + 5)
    aside = _staging(tmp_path, ".2023-03.old-def456", STALE_AFTER + 5)
    other = _staging(tmp_path, ".2023-02.new-xyz", STALE_AFTER + 5)
    with publishing(target) as tmp:
        (tmp / "bulletin.pdf").write_bytes(b"good")
    assert not killed.exists() and not aside.exists() and other.exists()
    assert (target / "bulletin.pdf").read_bytes() == b"good"


def test_a_running_runs_staging_folder_is_kept(tmp_path):
    target = tmp_path / "2023-03"
    running = _staging(tmp_path, ".2023-03.new-abc123", STALE_AFTER + 5)
    young = _staging(tmp_path, ".2023-03.new-young", 1)
    with locked(running):  # its run holds it
        assert remove_stale(target) == []
    assert running.exists() and young.exists()
    assert remove_stale(target) == [running]


def test_the_cycle_collector_is_paused_for_the_unit_pages_and_back_after_a_failure():
    """write_unit_pages pauses Python's cyclic garbage collector while it makes the pages (it found
    nothing to collect, and its passes took a third of a city's pages' time); a page that fails
    leaves it as it was, in the analyst's kernel too."""
    import gc

    from hotline.run.outputs import cycle_collection_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("a page failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()  # an analyst who turned it off keeps it off
    finally:
        gc.enable()
