"""What a month's bulletin was made from, so that `hotline run` can skip a month that would not change.

The fingerprint lists the SHA-256 of every input of the month's bulletin:

- the package (every file of it, templates and the Typst file included), the versions of the
  libraries it depends on, and the notebook;
- district.yaml, units.csv, the district's wording templates and font files;
- the month's folder, and the folders of the months its analysis reads (the history window);
- the orders: not the export files, but the rows each month of the history window reads (those
  with any time in the month), and the workspace's export warnings. Changing one export re-renders
  only the months whose rows changed.

`hotline run` writes it as ``fingerprint.json`` into the month's output folder; a later run whose
fingerprint is equal, and whose output files are all there, skips the month unless ``--force``.
File digests are remembered by size, mtime and inode (hotline.inputs.cache.Digests), and the rows'
digests by the digests of the files they come from (``month-rows.json``), so checking an unchanged
month reads no export.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
from pathlib import Path

from hotline import __version__, atomic, config, months, periods
from hotline.inputs.cache import Digests, digest_bytes

FORMAT = 2
ROWS_FILE = "month-rows.json"  # in the workspace's cache folder


def _files(folder: Path) -> list[Path]:
    """Every file under `folder` (recursively, hidden ones left out), in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _tree(folder: Path, digests: Digests) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): digests.of(p) for p in _files(folder)}


@functools.cache
def package_digest() -> str:
    """Digest of every file of this package (a changed line of code or template gives a new one)."""
    here = Path(__file__).parents[1]  # the whole package, not just run/
    files = sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest_bytes(*(part for p in files for part in (p.relative_to(here).as_posix(), p.read_bytes())))


@functools.cache
def library_versions() -> dict[str, str]:
    """The installed version of each library the package requires (an upgrade can change the output)."""
    try:
        required = importlib.metadata.requires("hotline-bulletin") or []
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return {}
    names = [re.split(r"[=<>!~ ;\[]", r, maxsplit=1)[0] for r in required if "extra ==" not in r]
    return {name: importlib.metadata.version(name) for name in names}


def _optional(path: Path, digests: Digests) -> str | None:
    return digests.of(path) if path.is_file() else None


def month_fingerprint(workspace: Path, month: str, notebook: Path = config.NOTEBOOK) -> dict:
    """The digests of everything the bulletin of `month` is made from (module docstring)."""
    workspace = Path(workspace)
    digests = Digests(workspace / config.CACHE_DIR)
    months_dir = workspace / config.MONTHS_DIR
    window = months.history_window(months.month_folders(months_dir) + [month], month, months.HISTORY_MONTHS)
    if periods.is_period(month):  # its months, the earlier periods' behind the trends and those it compares with
        earlier = months.history_window(periods.period_folders(workspace / config.PERIODS_DIR) + [month], month,
                                        periods.history_length(month))
        window = [m for p in [*earlier, *periods.compared(month)] for m in periods.months_of(p)]
        window += [p for p in earlier if p != month]  # their folders (periods/<P>/)
    rows = order_digests(workspace, digests)
    fingerprint = {
        "format": FORMAT,
        "month": month,
        "package": {"version": __version__, "files": package_digest(), "libraries": library_versions()},
        "notebook": digests.of(notebook),
        "settings": _optional(workspace / config.SETTINGS_FILE, digests),
        "units": _optional(workspace / config.UNITS_FILE, digests),
        "wording": _tree(workspace / config.WORDING_DIR, digests),
        "fonts": _tree(workspace / config.FONTS_DIR, digests),
        "month_folder": _tree(config.input_folder(workspace, month), digests),
        # the analysis flavour's 环比 and trends are built from the earlier months of the window too
        "earlier_months": {m: _tree(config.input_folder(workspace, m), digests) for m in window if m != month},
        "orders": {m: rows["months"].get(m) for m in window if months.is_month(m)},
        "export_warnings": rows["warnings"],
    }
    digests.save()
    return fingerprint


def order_digests(workspace: Path, digests: Digests) -> dict:
    """{"months": {month: digest of the rows with a time in it}, "warnings": digest of the exports'
    warnings}, remembered in the cache by the digests of the files the rows are parsed from."""
    workspace = Path(workspace)
    key = digest_bytes(json.dumps({
        "exports": _tree(workspace / config.EXPORTS_DIR, digests),
        "settings": _optional(workspace / config.SETTINGS_FILE, digests),
        "units": _optional(workspace / config.UNITS_FILE, digests),
        "package": package_digest(), "libraries": library_versions(),
    }, sort_keys=True))
    cache = workspace / config.CACHE_DIR / ROWS_FILE
    try:
        remembered = json.loads(cache.read_text(encoding="utf-8"))
        if remembered.get("key") == key:
            return remembered["rows"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    rows = _digest_rows(workspace)
    try:
        atomic.write_text(cache, json.dumps({"key": key, "rows": rows}, sort_keys=True))
    except OSError:  # a read-only workspace: computed again next time
        pass
    return rows


def _digest_rows(workspace: Path) -> dict:
    """The rows' digests per month, from the parsed exports (which raise InputError when they are bad)."""
    # pandas and the export reader only here: an unchanged month is checked without them
    import pandas as pd

    from hotline.inputs.workspace import load_workspace  # as above

    ws = load_workspace(workspace)
    orders = ws.orders
    times = [orders[c].dt.to_period("M") for c in orders.columns if pd.api.types.is_datetime64_any_dtype(orders[c])]
    present = sorted({str(p) for t in times for p in t.dropna().unique()})
    by_month = {}
    for month in present:
        period = pd.Period(month, "M")
        mask = pd.concat([t == period for t in times], axis=1).any(axis=1)
        hashed = pd.util.hash_pandas_object(orders[mask.to_numpy()], index=False)
        by_month[month] = digest_bytes(hashed.to_numpy().tobytes())
    return {"months": by_month, "warnings": digest_bytes(*(str(w) for w in ws.warnings))}


def write_fingerprint(folder: Path, fingerprint: dict) -> None:
    """Record the fingerprint in a month's (staging) output folder."""
    text = json.dumps(fingerprint, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (Path(folder) / config.FINGERPRINT_FILE).write_text(text, encoding="utf-8")


def unchanged(folder: Path, fingerprint: dict, outputs: list[str]) -> bool:
    """True when `folder` holds every one of `outputs` and was made from exactly `fingerprint`."""
    folder = Path(folder)
    try:
        recorded = json.loads((folder / config.FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == fingerprint and all((folder / name).is_file() for name in outputs)
