"""``jupyter nbconvert --to bulletin_*`` writes whole files or none (AtomicFilesWriter): a write
that fails halfway (here a disk that fills up) leaves the published file as it was."""

from __future__ import annotations

import errno
import subprocess
import sys

import nbformat
import nbformat.v4 as nbf
import pytest
from nbconvert.writers import FilesWriter
from nbconvert.writers import files as files_module

from hotline.render.exporters import AtomicFilesWriter

OLD = b"%PDF-1.7 the bulletin as published"
NEW = b"%PDF-1.7 " + b"the bulletin rendered again " * 4000


@pytest.fixture
def disk_full(monkeypatch):
    """FilesWriter's open(): the file opens, half of what is written reaches it, then the disk is full."""
    real_open = open

    class HalfWritten:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files_module, "open", lambda *a, **kw: HalfWritten(real_open(*a, **kw)), raising=False)


def _published(tmp_path):
    (tmp_path / "bulletin.pdf").write_bytes(OLD)
    return tmp_path / "bulletin.pdf"


def test_nbconverts_own_writer_leaves_half_a_file(tmp_path, disk_full):
    """What the fixture does to the plain FilesWriter: the reason for AtomicFilesWriter."""
    published = _published(tmp_path)
    with pytest.raises(OSError):
        FilesWriter(build_directory=str(tmp_path)).write(NEW, {"output_extension": ".pdf"}, notebook_name="bulletin")
    assert published.read_bytes() == NEW[: len(NEW) // 2]


def test_a_failure_halfway_leaves_the_previous_file(tmp_path, disk_full):
    published = _published(tmp_path)
    with pytest.raises(OSError) as caught:
        AtomicFilesWriter(build_directory=str(tmp_path)).write(NEW, {"output_extension": ".pdf"}, notebook_name="bulletin")
    assert caught.value.errno == errno.ENOSPC
    assert published.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.pdf"]  # no temporary left behind


@pytest.mark.parametrize("output", [NEW, NEW.decode("ascii")], ids=["bytes", "text"])
def test_a_success_replaces_the_file(tmp_path, output):
    published = _published(tmp_path)
    written = AtomicFilesWriter(build_directory=str(tmp_path)).write(output, {"output_extension": ".pdf"},
                                                                     notebook_name="bulletin")
    assert written == published and published.read_bytes() == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.pdf"]


def test_the_support_files_are_written_whole_too(tmp_path, disk_full):
    (tmp_path / "figure.svg").write_bytes(OLD)
    with pytest.raises(OSError):
        AtomicFilesWriter(build_directory=str(tmp_path)).write(
            NEW, {"output_extension": ".pdf", "outputs": {"figure.svg": NEW}}, notebook_name="bulletin")
    assert (tmp_path / "figure.svg").read_bytes() == NEW  # atomic.write_bytes, not the failing open()
    assert not (tmp_path / "bulletin.pdf").exists()


def test_jupyter_nbconvert_writes_the_bulletin_atomically(tmp_path):
    """The documented command, with no --writer: the exporters put AtomicFilesWriter in place."""
    nb = nbf.new_notebook(cells=[nbf.new_code_cell("", outputs=[
        nbf.new_output("display_data", data={"text/html": "<p>本月签收工单。</p>"})])])
    path = tmp_path / "bulletin.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "bulletin.html").write_text("old", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "bulletin_html", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"Renamed to {tmp_path / 'bulletin.html'}" in done.stderr
    assert "本月签收工单。" in (tmp_path / "bulletin.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.html", "bulletin.ipynb"]


def test_warm_up_exports_a_page_of_each_flavour():
    """`hotline run` warms the exporters on the idle core while the notebook runs
    (hotline.run.month.Exports); a warm-up that failed (it once asked the page template for a
    filter registered only per export) was never seen, and the first export paid for everything."""
    from hotline.render.exporters import warm_up
    from hotline.render.flavours import FLAVOURS

    warm_up(FLAVOURS)


def test_a_failed_warm_up_fails_the_exports(monkeypatch, tmp_path):
    from hotline.run import month

    def broken(flavours):
        raise RuntimeError("warm-up broke")

    monkeypatch.setattr(month, "_warm_exporters", broken)
    exports = month.Exports(("official",), tmp_path, {})
    exports.flavours = ()  # nothing to export: only the warm-up's outcome is asked for
    try:
        with pytest.raises(RuntimeError, match="warm-up broke"):
            exports.finish(nbf.new_notebook())
    finally:
        exports.close()


def test_the_exporters_are_warmed_once_a_process_and_a_failure_again(monkeypatch):
    """A batch's months in one process (run_months, or each of its pool's processes) warm the
    exporters once: a later month's warm-up would only take a core from the month beside it."""
    from hotline.render import exporters
    from hotline.run import month

    calls = []

    def warm_up(flavours):
        calls.append(flavours)
        if len(calls) == 1:
            raise RuntimeError("warm-up broke")

    monkeypatch.setattr(exporters, "warm_up", warm_up)
    month._warm_exporters.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="warm-up broke"):
            month._warm_exporters(("official",))
        month._warm_exporters(("official",))
        month._warm_exporters(("official",))
        month._warm_exporters(("official", "analysis"))
        assert calls == [("official",), ("official",), ("official", "analysis")]
    finally:
        month._warm_exporters.cache_clear()
