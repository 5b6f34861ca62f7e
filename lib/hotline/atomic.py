"""Files written whole or not at all: to a temporary sibling, then renamed over the target."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def temporary_name(name: str) -> str:
    """A hidden name beside `name` for its temporary, unique per process and thread: two writers
    of one file never share a temporary."""
    return f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> Path:
    """Write `data` to `path` atomically (a reader sees the old file or the new, never a part);
    `mode` sets the permission bits (a temporary file of a shared cache is readable by all)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(temporary_name(path.name))
    try:
        tmp.write_bytes(data)
        if mode is not None:
            tmp.chmod(mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str, mode: int | None = None) -> Path:
    return write_bytes(path, text.encode("utf-8"), mode)
