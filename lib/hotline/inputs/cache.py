"""Content digests and the columnar cache of parsed exports, under ``<workspace>/.cache/``.

Parsing an export (XLSX above all) costs far more than reading the same rows back from
Parquet, so the loader keeps what it made of each file:

    .cache/exports/file-<key>.parquet    one file's checked, typed rows and its warnings
    .cache/exports/merged-<key>.parquet  the merged frame of the whole folder and its warnings
    .cache/digests.json                  size, mtime and inode → content digest, so an unchanged
                                          file is not read again just to hash it

A key is the SHA-256 of everything the result depends on: the file's content digest, the
registry, the source of the loader and the modules it uses, and the pandas and pyarrow
versions. A changed input therefore never meets an old entry. An entry that cannot be read
or whose stored key differs (a truncated or foreign file) is ignored and rebuilt; entries
are written to a temporary name and renamed, so a reader never sees half of one. A cache
that cannot be written (read-only workspace) only costs speed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from hotline import atomic
from hotline.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

DIGESTS_FILE = "digests.json"
META_KEY = b"hotline"
# The modules whose code decides what a parsed export looks like.
LOADER_MODULES = ("inputs/exports.py", "names.py", "inputs/registry.py", "errors.py", "inputs/cache.py")


def digest_bytes(*parts: bytes | str) -> str:
    """SHA-256 hex digest of the parts, each length-prefixed (so ('ab', 'c') ≠ ('a', 'bc'))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def code_digest(modules: tuple[str, ...] = LOADER_MODULES) -> str:
    """Digest of this package's source files `modules` (paths under hotline/) and the versions of
    pandas and pyarrow."""
    # pandas loads only here: a run checks months and fingerprints without it
    import pandas as pd
    import pyarrow

    here = Path(__file__).parents[1]
    return digest_bytes(pd.__version__, pyarrow.__version__, *((here / m).read_bytes() for m in modules))


class Digests:
    """Content digests of files, remembered by (size, mtime_ns, inode) in ``digests.json``.

    A file whose size, modification time and inode are unchanged is taken as unchanged
    (as git does); any other file is read and hashed again.
    """

    def __init__(self, root: Path | None):
        self.path = None if root is None else Path(root) / DIGESTS_FILE
        self.known: dict[str, list] = {}
        self.dirty = False
        if self.path is not None and self.path.is_file():
            try:
                self.known = dict(json.loads(self.path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                self.known = {}

    def of(self, path: Path) -> str:
        """The SHA-256 of the file's content."""
        path = Path(path).resolve()
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        seen = self.known.get(str(path))
        if isinstance(seen, list) and seen[:3] == stamp and len(seen) == 4:
            return seen[3]
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 22):
                h.update(chunk)
        self.known[str(path)] = stamp + [h.hexdigest()]
        self.dirty = True
        return h.hexdigest()

    def save(self) -> None:
        """Write the remembered digests (atomically; silently skipped if the folder is not writable)."""
        if self.path is None or not self.dirty:
            return
        _atomic_write(self.path, json.dumps(self.known, sort_keys=True).encode("utf-8"))
        self.dirty = False


def _atomic_write(path: Path, data: bytes) -> None:
    """Write a cache file; one that cannot be written only costs time next run."""
    try:
        atomic.write_bytes(path, data, mode=0o644)  # a shared workspace's cache serves every user
    except OSError:
        pass


def read_frame(path: Path, key: str, base: Path) -> tuple[pd.DataFrame, list[Problem]] | None:
    """A cached (frame, warnings) stored under `key`, or None when absent, unreadable or stale.

    Warnings' files are stored relative to `base` (the exports folder) and restored under it.
    """
    # pyarrow loads only where a frame goes through Arrow
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:  # lighter than pq.read_table's dataset machinery
            table = parquet.read()
        meta = json.loads(table.schema.metadata[META_KEY])
        if meta.get("key") != key:
            return None
        frame = table.to_pandas()
        warnings = [Problem(**{**w, "file": None if w["file"] is None else Path(base) / w["file"]})
                    for w in meta["warnings"]]
    except Exception:  # missing, truncated, foreign or corrupt: rebuilt by the caller
        return None
    return frame, warnings


def write_frame(path: Path, key: str, frame: pd.DataFrame, warnings: list[Problem], base: Path) -> None:
    """Store (frame, warnings) under `key`, the warnings' files relative to `base`."""
    # pyarrow loads only where a frame goes through Arrow
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{**dataclasses.asdict(w), "file": None if w.file is None else _relative(Path(w.file), Path(base))}
            for w in warnings]
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[META_KEY] = json.dumps({"key": key, "warnings": rows}, ensure_ascii=False, default=str).encode("utf-8")
        sink = pa.BufferOutputStream()
        pq.write_table(table.replace_schema_metadata(meta), sink)
    except (pa.ArrowException, TypeError, ValueError):  # a frame Parquet cannot hold is simply not cached
        return
    _atomic_write(path, sink.getvalue().to_pybytes())


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def prune(folder: Path, keep: set[str]) -> None:
    """Remove cache entries of `folder` whose file names are not in `keep` (old versions of changed files)."""
    try:
        entries = list(Path(folder).glob("*.parquet"))
    except OSError:
        return
    for entry in entries:
        if entry.name not in keep:
            entry.unlink(missing_ok=True)


class ExportCache:
    """The cache entries of one exports folder, read with one registry (`registry_digest`: its
    Registry.digest), in ``<root>/exports/``."""

    def __init__(self, root: Path, folder: Path, files: list[Path], registry_digest: str) -> None:
        self.root = Path(root) / "exports"
        self.base = Path(folder)
        digests = Digests(root)
        common = digest_bytes(code_digest(), registry_digest)
        self.keys = {p: digest_bytes(common, p.name, digests.of(p)) for p in files}
        digests.save()
        self.merged_key = digest_bytes(common, *self.keys.values())

    def _entry(self, kind: str, key: str) -> Path:
        return self.root / f"{kind}-{key}.parquet"

    def merged(self) -> tuple[pd.DataFrame, list[Problem]] | None:
        """The whole folder's merged frame and its files' warnings, if cached."""
        return read_frame(self._entry("merged", self.merged_key), self.merged_key, self.base)

    def file(self, path: Path) -> tuple[pd.DataFrame, list[Problem]] | None:
        """One file's checked frame and warnings, if cached."""
        key = self.keys[path]
        return read_frame(self._entry("file", key), key, self.base)

    def put_file(self, path: Path, frame: pd.DataFrame, warnings: list[Problem]) -> None:
        key = self.keys[path]
        write_frame(self._entry("file", key), key, frame, warnings, self.base)

    def put_merged(self, frame: pd.DataFrame, warnings: list[Problem]) -> None:
        """Store the merged frame and drop entries of files that changed or went away."""
        write_frame(self._entry("merged", self.merged_key), self.merged_key, frame, warnings, self.base)
        keep = {self._entry("file", k).name for k in self.keys.values()} | {self._entry("merged", self.merged_key).name}
        prune(self.root, keep)
