"""Safe publishing: build a month's output in a temporary sibling folder, then swap it in.

A reader (or a failed rerun) never sees a half-written month: the target folder is
replaced only after everything in the new one has been written, by renames within one
file system. If anything fails before the swap, the previous output stays as it was.
A staging folder is locked by the run that writes it; one left by a run that was killed
is removed by the next run of that month. A folder that cannot be written is an OutputError.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hotline.errors import OutputError

STAGING_KINDS = ("new", "old")  # .<MONTH>.new-*: being written; .<MONTH>.old-*: the one replaced
STALE_AFTER = 60.0  # seconds: a younger staging folder may not be locked by its run yet


def staging_dir(target: Path) -> Path:
    """A new empty folder next to `target` (same file system, so the final rename is atomic)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the published folder is an ordinary one
    return tmp


def replace_dir(new: Path, target: Path) -> None:
    """Put folder `new` in place of `target` (which may not exist); remove the old one.

    The old folder is first renamed aside, then `new` renamed to `target`; if that second
    rename fails the old folder is renamed back. Both renames are atomic on POSIX.
    """
    new, target = Path(new), Path(target)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def locked(folder: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `folder` itself (flock on the directory: no lock file left behind).
    Without `wait`, yields False at once when another process holds it."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def remove_stale(target: Path) -> list[Path]:
    """Remove the staging folders of `target` that no running process holds (their run was
    killed); returns them."""
    target = Path(target)
    removed = []
    for kind in STAGING_KINDS:
        for folder in target.parent.glob(f".{target.name}.{kind}-*"):
            try:
                if time.time() - folder.stat().st_mtime < STALE_AFTER:
                    continue
                with locked(folder, wait=False) as free:
                    if free:
                        shutil.rmtree(folder, ignore_errors=True)
                        removed.append(folder)
            except OSError:  # gone meanwhile, or not ours to remove
                continue
    return removed


@contextmanager
def publishing(target: Path) -> Iterator[Path]:
    """with publishing(target) as tmp: write into tmp — published to target only on success.

    Two runs of one month may publish at once: the swaps take turns (a lock on the parent
    folder), so the target is always one run's complete output, the last to finish.
    """
    try:
        tmp = staging_dir(target)
        with locked(Path(target).parent):  # not while another run swaps its folders
            remove_stale(target)
    except OSError as exc:
        raise OutputError.from_os_error(exc, Path(target).parent) from None
    try:
        with locked(tmp):  # ours while we write: remove_stale of another run leaves it alone
            yield tmp
        try:
            with locked(Path(target).parent):
                replace_dir(tmp, target)
        except OSError as exc:
            raise OutputError.from_os_error(exc, target) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after a successful swap; removed on failure
