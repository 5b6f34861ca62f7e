"""Many documents' PDFs set by Typst in worker processes while the caller makes the next ones.

A city's 500 unit pages (hotline.run.outputs.write_unit_pages) took a Typst compilation each,
one after another, on the core that was also writing their HTML. Here the caller lays a
document's data out (hotline.render.typeset.Typesetter.prepare: the columns' widths, the
pictures; Python) into a folder the workers share, and a worker process compiles it and writes
the PDF (Typst holds the interpreter's lock while it works, so a thread would not do). Documents
wait in a short queue (BACKLOG a worker): the caller holds a few at a time, never all of them.

A worker is `python -m hotline.render.pdf_workers FOLDER`, fed by a thread of the caller through
its standard input and output (pickled jobs and answers): a fresh interpreter that imports only
the typesetter, whatever the caller's main module is (a notebook's kernel, a script), on any
system. It reads the fonts once.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import IO, Any

from hotline.render import doctree, fonts
from hotline.render.typeset import Typesetter

log = logging.getLogger(__name__)

BACKLOG = 4  # documents prepared and not yet set, per worker
_DONE = None  # the job that tells a worker's feeder to stop


def default_workers() -> int:
    """As many workers as the machine has cores: the caller's own share of a page (its HTML and
    data) is smaller than Typst's, so the cores stay busy."""
    return max(1, os.cpu_count() or 1)


class PDFWorkers:
    """Documents' PDFs written by `workers` processes (default_workers), in the faces of `setup`:
    `submit(doc, path)`, in a `with` block whose end waits for every PDF and raises the first
    failure. Typst's warnings are logged here, as typeset.Typesetter logs them."""

    def __init__(self, setup: fonts.FontSetup | None = None, workers: int | None = None):
        self.setup = setup or fonts.default_setup()
        self.workers = workers or default_workers()
        self.failures: list[str] = []

    def __enter__(self) -> PDFWorkers:
        self._tmp = tempfile.TemporaryDirectory(prefix="hotline-typst-")
        self.preparer = Typesetter(self.setup, Path(self._tmp.name)).__enter__()
        self.jobs: queue.Queue = queue.Queue(maxsize=BACKLOG * self.workers)
        self.feeders = [threading.Thread(target=self._feed, name=f"hotline-pdf-{i}", daemon=True)
                        for i in range(self.workers)]
        for feeder in self.feeders:
            feeder.start()
        return self

    def submit(self, doc: doctree.Document, path: Path) -> None:
        """Have the PDF of `doc` written to `path`; waits while the queue is full."""
        if self.failures:
            raise RuntimeError(self.failures[0])
        self.jobs.put((self.preparer.prepare(doc), doc.created(), str(path)))

    def _feed(self) -> None:
        """One worker's feeder: start the worker, hand it jobs until told to stop, log its warnings."""
        try:
            worker = subprocess.Popen([sys.executable, "-m", __name__, self._tmp.name], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE)
            assert worker.stdin is not None  # opened as a pipe
            pickle.dump(self.setup, worker.stdin)
        except OSError:
            self.failures.append(traceback.format_exc())
            worker = None
        try:
            while (job := self.jobs.get()) is not _DONE:
                if self.failures or worker is None:
                    continue  # drained, so that submit never waits for ever
                answer = _exchange(worker, job)
                if "error" in answer:
                    self.failures.append(answer["error"])
                for warning in answer.get("warnings", []):
                    log.warning("Typst: %s", warning)
        finally:
            if worker is not None:
                assert worker.stdin is not None  # opened as a pipe
                worker.stdin.close()
                worker.wait()

    def __exit__(self, *exc: object) -> None:
        for _ in self.feeders:
            self.jobs.put(_DONE)
        for feeder in self.feeders:
            feeder.join()
        self._tmp.cleanup()
        if self.failures and exc[0] is None:
            raise RuntimeError(f"PDF worker failed:\n{self.failures[0]}")


def _exchange(worker: subprocess.Popen, job: tuple) -> dict[str, Any]:
    """Send a worker one job and read its answer ({"error": …} when it died)."""
    assert worker.stdin is not None and worker.stdout is not None  # opened as pipes
    try:
        pickle.dump(job, worker.stdin)
        worker.stdin.flush()
        return pickle.load(worker.stdout)
    except (OSError, EOFError, pickle.UnpicklingError):
        return {"error": f"the PDF worker stopped (exit status {worker.poll()})"}


def serve(root: Path, jobs: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: the font setup first, then for each job (data file name, date, PDF path)
    read from `jobs`, set the document prepared in `root`, write its PDF, remove its data and
    answer its warnings (or the error)."""
    typesetter = Typesetter(pickle.load(jobs), root).__enter__()
    while True:
        try:
            name, timestamp, path = pickle.load(jobs)
        except EOFError:
            return
        try:
            pdf, warnings = typesetter.compile(name, timestamp)
            Path(path).write_bytes(pdf)
            for used in root.glob(name.removesuffix("doc.json") + "*"):
                used.unlink()
            answer: dict[str, Any] = {"warnings": warnings}
        except Exception:
            answer = {"error": traceback.format_exc()}
        pickle.dump(answer, answers)
        answers.flush()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
