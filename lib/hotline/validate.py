"""`hotline validate`: check a whole workspace and report every problem found."""

from __future__ import annotations

from pathlib import Path

from . import config
from .errors import InputError, Problem


def validate_workspace(path: Path) -> tuple[list[Problem], list[Problem], list[str]]:
    """(errors, warnings, months checked) for a workspace: settings, registry, exports, every month folder."""
    from .bulletin import Workspace, build_bulletin
    from .loader import load_exports
    from .registry import load_registry
    from .settings import load_settings

    path = Path(path)
    errors: list[Problem] = []
    settings = registry = None
    try:
        settings = load_settings(path / config.SETTINGS_FILE)
    except InputError as exc:
        errors += exc.problems
    try:
        registry = load_registry(path / config.UNITS_FILE)
    except InputError as exc:
        errors += exc.problems
    if registry is None:
        return errors, [], []
    try:
        loaded = load_exports(path / config.EXPORTS_DIR, registry)
    except InputError as exc:
        return errors + exc.problems, [], []
    if settings is None:
        return errors, list(loaded.warnings), []
    warnings = list(loaded.warnings)
    ws = Workspace(path, settings, registry, loaded.orders)
    months = sorted(p.name for p in (path / config.MONTHS_DIR).glob("*") if p.is_dir())
    for month in months:
        try:
            warnings += build_bulletin(month, ws).warnings
        except InputError as exc:
            errors += exc.problems
    return errors, warnings, months


def validate_command(path: Path) -> int:
    errors, warnings, months = validate_workspace(path)
    for p in errors:
        print(f"错误: {p}")
    for p in warnings:
        print(f"警告: {p}")
    print(f"检查了 {path}: {len(months)} 个月份 ({', '.join(months) or '无'})，"
          f"{len(errors)} 个错误，{len(warnings)} 个警告。")
    return 1 if errors else 0
