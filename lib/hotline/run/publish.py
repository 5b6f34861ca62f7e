"""Safe publishing: build a month's output in a temporary sibling folder, then swap it in.

A reader (or a failed rerun) never sees a half-written month: the target folder is
replaced only after everything in the new one has been written, by renames within one
file system. If anything fails before the swap, the previous output stays as it was.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` itself (flock on the directory: no lock file left behind)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def publishing(target: Path) -> Iterator[Path]:
    """with publishing(target) as tmp: write into tmp — published to target only on success.

    Two runs of one month may publish at once: the swaps take turns (a lock on the parent
    folder), so the target is always one run's complete output, the last to finish.
    """
    tmp = staging_dir(target)
    try:
        yield tmp
        with locked(Path(target).parent):
            replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after a successful swap; removed on failure
