"""What a month's bulletin was made from, so that `hotline run` can skip a month that would not change.

The fingerprint lists the SHA-256 of every input of the month's bulletin: the export files,
district.yaml, units.csv, every file of months/<MONTH>/, the notebook, and the package
(its version and the digest of its source and templates). `hotline run` writes it as
``fingerprint.json`` into the month's output folder; a later run whose fingerprint is equal,
and whose output files are all there, skips the month unless ``--force`` is given.
Export digests are remembered by size, mtime and inode (hotline.inputs.cache.Digests), so checking an
unchanged month reads no export.
"""

from __future__ import annotations

import json
from pathlib import Path

from hotline import __version__, config, months
from hotline.inputs.cache import Digests, digest_bytes

FORMAT = 1


def _files(folder: Path) -> list[Path]:
    """Every file under `folder` (recursively, hidden ones left out), in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _tree(folder: Path, digests: Digests) -> dict[str, str]:
    return {str(p.relative_to(folder)): digests.of(p) for p in _files(folder)}


def package_digest() -> str:
    """Digest of this package's source files and templates (a changed line of code gives a new one)."""
    here = Path(__file__).parents[1]  # the whole package, not just run/
    files = sorted(p for p in here.rglob("*") if p.is_file() and p.suffix in {".py", ".css", ".j2", ".json"}
                   and "__pycache__" not in p.parts)
    return digest_bytes(*(part for p in files for part in (str(p.relative_to(here)), p.read_bytes())))


def month_fingerprint(workspace: Path, month: str, notebook: Path = config.NOTEBOOK) -> dict:
    """The digests of everything the bulletin of `month` is made from."""
    workspace = Path(workspace)
    digests = Digests(workspace / config.CACHE_DIR)
    optional = {name: digests.of(workspace / name) if (workspace / name).is_file() else None
                for name in (config.SETTINGS_FILE, config.UNITS_FILE)}
    fingerprint = {
        "format": FORMAT,
        "month": month,
        "package": {"version": __version__, "source": package_digest()},
        "notebook": digests.of(notebook),
        **optional,
        "exports": _tree(workspace / config.EXPORTS_DIR, digests),
        "month_folder": _tree(workspace / config.MONTHS_DIR / month, digests),
        # the analysis flavour's 环比 and trends are built from the earlier months too
        "earlier_months": {m: _tree(workspace / config.MONTHS_DIR / m, digests) for m in months.month_folders(workspace / config.MONTHS_DIR) if m < month},
    }
    digests.save()
    return fingerprint


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
