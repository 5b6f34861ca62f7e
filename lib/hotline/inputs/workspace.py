"""A district workspace read once: settings, units registry and the parsed exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hotline import config, months
from hotline.errors import Problem
from hotline.inputs.exports import load_exports
from hotline.inputs.registry import Registry, load_registry
from hotline.inputs.settings import Settings, load_settings


@dataclass
class Workspace:
    """A district workspace read once: settings, registry and the parsed exports."""

    path: Path
    settings: Settings
    registry: Registry
    orders: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)


def load_workspace(path: Path = config.DEFAULT_WORKSPACE, progress: bool = False) -> Workspace:
    """Settings, registry and exports of a workspace (exports through the workspace's .cache)."""
    path = Path(path)
    settings = load_settings(path / config.SETTINGS_FILE)
    registry = load_registry(path / config.UNITS_FILE)
    loaded = load_exports(path / config.EXPORTS_DIR, registry, cache=path / config.CACHE_DIR, progress=progress)
    ignored = months.ignored_in_months(path / config.MONTHS_DIR)
    return Workspace(path, settings, registry, loaded.orders, list(loaded.warnings) + ignored)
