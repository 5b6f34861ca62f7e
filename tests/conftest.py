"""Shared fixtures: the sample month rendered once per session (both flavours, one notebook run)."""

import sys
from pathlib import Path

import pytest

# tests/factories.py is imported as a plain module by the tests.
sys.path.insert(0, str(Path(__file__).parent))

RENDER_MONTH = "2023-03"


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """`hotline run 2023-03` of the sample workspace into a temporary output root (MonthResult)."""
    from hotline import config
    from hotline.run.month import render_month

    out_root = tmp_path_factory.mktemp("output")
    result = render_month(RENDER_MONTH, config.DEFAULT_WORKSPACE, out_root)
    assert result.ok, result.error + "\n" + result.detail
    return result


@pytest.fixture(scope="session")
def out(rendered) -> Path:
    """The rendered month's output folder."""
    return rendered.out_dir


@pytest.fixture(scope="session")
def bulletin():
    """The sample month's Bulletin, computed once per session (tests only read it)."""
    from hotline import config
    from hotline.bulletin import build_bulletin

    return build_bulletin(RENDER_MONTH, config.DEFAULT_WORKSPACE)
