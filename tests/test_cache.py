"""The Parquet cache of parsed exports gives exactly the frames and warnings of a fresh parse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from hotline import config
from hotline.inputs import exports as loader
from hotline.inputs.exports import load_exports
from hotline.inputs.registry import load_registry

SAMPLE = config.DEFAULT_WORKSPACE
# One XLSX and one CSV export of the sample: both readers, snapshot precedence across files.
FILES = ["2023-02_工单明细.xlsx", "2023-03_工单明细_第1批.csv"]


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in FILES:
        shutil.copy(SAMPLE / "exports" / name, exports / name)
    # A row with a blank 办理时限 gives a warning naming its file, which the cache must keep.
    csv = exports / FILES[1]
    lines = _text(csv).splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("办理时限")] = ""
    lines[1] = ",".join(cells) + "\n"
    csv.write_text("".join(lines), encoding="utf-8-sig")
    return tmp_path


def _text(csv: Path) -> str:
    data = csv.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


@pytest.fixture(scope="module")
def registry():
    return load_registry(SAMPLE / "units.csv")


def _same(a: loader.LoadResult, b: loader.LoadResult) -> None:
    pd.testing.assert_frame_equal(a.orders, b.orders, check_exact=True)
    assert list(a.orders.dtypes) == list(b.orders.dtypes)
    assert a.warnings == b.warnings
    assert a.files == b.files


def _count_parses(monkeypatch) -> list[Path]:
    parsed: list[Path] = []
    real = loader._load_file

    def counting(path, registry):
        parsed.append(path)
        return real(path, registry)

    monkeypatch.setattr(loader, "_load_file", counting)
    return parsed


@pytest.mark.slow  # parses the sample's six months of exports afresh
def test_cached_loads_equal_a_fresh_parse(workspace, registry, monkeypatch):
    exports, cache = workspace / "exports", workspace / ".cache"
    fresh = load_exports(exports, registry)
    assert fresh.warnings and all(w.file == exports / FILES[1] for w in fresh.warnings)
    _same(load_exports(exports, registry, cache=cache), fresh)  # builds the cache
    parsed = _count_parses(monkeypatch)
    _same(load_exports(exports, registry, cache=cache), fresh)  # the merged entry
    assert parsed == []
    (cache / "exports" / next(p.name for p in (cache / "exports").glob("merged-*"))).unlink()
    _same(load_exports(exports, registry, cache=cache), fresh)  # the per-file entries
    assert parsed == []


@pytest.mark.slow  # parses the sample's six months of exports afresh
def test_changed_file_is_parsed_again_alone(workspace, registry, monkeypatch):
    exports, cache = workspace / "exports", workspace / ".cache"
    load_exports(exports, registry, cache=cache)
    csv = exports / FILES[1]
    csv.write_text(_text(csv).replace(",满意,", ",不满意,", 1), encoding="utf-8-sig")
    parsed = _count_parses(monkeypatch)
    cached = load_exports(exports, registry, cache=cache)
    assert parsed == [csv]
    _same(cached, load_exports(exports, registry))
    assert len(list((cache / "exports").glob("*.parquet"))) == len(FILES) + 1  # old entries pruned


@pytest.mark.slow  # parses the sample's six months of exports afresh
def test_corrupt_or_foreign_entries_are_rebuilt(workspace, registry, monkeypatch):
    exports, cache = workspace / "exports", workspace / ".cache"
    fresh = load_exports(exports, registry, cache=cache)
    first, second = sorted((cache / "exports").glob("file-*.parquet"))
    (cache / "exports" / next(p.name for p in (cache / "exports").glob("merged-*"))).write_bytes(b"not parquet")
    swapped = first.read_bytes()  # each file's entry replaced by the other's: valid Parquet, wrong key
    first.write_bytes(second.read_bytes())
    second.write_bytes(swapped)
    parsed = _count_parses(monkeypatch)
    _same(load_exports(exports, registry, cache=cache), fresh)
    assert sorted(parsed) == sorted(exports / n for n in FILES)
    parsed.clear()
    _same(load_exports(exports, registry, cache=cache), fresh)
    assert parsed == []


@pytest.mark.slow  # parses the sample's six months of exports afresh
def test_registry_change_is_not_served_from_cache(workspace, registry, tmp_path):
    exports, cache = workspace / "exports", workspace / ".cache"
    load_exports(exports, registry, cache=cache)
    units = tmp_path / "units.csv"
    units.write_text((SAMPLE / "units.csv").read_text(encoding="utf-8-sig") + "新设单位,新设单位,区直部门,\n",
                     encoding="utf-8")
    other = load_registry(units)
    _same(load_exports(exports, other, cache=cache), load_exports(exports, other))
