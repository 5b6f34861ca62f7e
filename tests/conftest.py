"""Shared fixtures and the test session's setting: hermetic, with slow tests marked.

Hermetic: before hotline is imported, the caches and the output root point into a temporary
folder, and the sample workspace is copied there (its parsed-export cache is written beside
it), so a test run leaves the checkout as it found it.

Slow: every test that runs the notebook, lays out a PDF, starts a kernel, builds a wheel or asks
the package index is marked ``slow``: by its own mark or its module's (``pytestmark``), or by the
fixtures it uses (SLOW_FIXTURES, below); ``make check`` leaves them out.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parents[1]
_SESSION = Path(tempfile.mkdtemp(prefix="hotline-tests-"))
os.environ["HOTLINE_CACHE"] = str(_SESSION / "cache")
os.environ["HOTLINE_OUTPUT"] = str(_SESSION / "output")

from hotline import config  # noqa: E402 - after the environment above is set
from hotline.names import PERSONAL_COLUMNS  # noqa: E402

config.DEFAULT_WORKSPACE = _SESSION / "sample"
shutil.copytree(ROOT / "data" / "sample", config.DEFAULT_WORKSPACE, ignore=shutil.ignore_patterns(".cache"))

# Nothing of hypothesis in the checkout (.hypothesis/): no example database, its other caches here.
set_hypothesis_home_dir(_SESSION / "hypothesis")
settings.register_profile("hermetic", database=None)
settings.load_profile("hermetic")


# tests/factories.py is imported as a plain module by the tests, and so is scripts/wheelhouse.py.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "scripts"))

RENDER_MONTH = "2023-03"
SLOW_FIXTURES = {"rendered", "out", "html", "rendered_analysis", "wheel_venv"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION, ignore_errors=True)


@pytest.fixture(scope="session")
def rendered():
    """`hotline run 2023-03` of the sample workspace into a temporary output root (MonthResult)."""
    from hotline.run.month import render_month

    result = render_month(RENDER_MONTH, config.DEFAULT_WORKSPACE, _SESSION / "rendered")
    assert result.ok, result.error + "\n" + result.detail
    return result


@pytest.fixture(scope="session")
def out(rendered) -> Path:
    """The rendered month's output folder."""
    return rendered.out_dir


@pytest.fixture(scope="session")
def bulletin():
    """The sample month's Bulletin, computed once per session (tests only read it)."""
    from hotline.bulletin import build_bulletin

    return build_bulletin(RENDER_MONTH, config.DEFAULT_WORKSPACE)


@pytest.fixture(scope="session")
def sample_settings():
    """The sample workspace's district settings (district.yaml)."""
    from hotline.inputs.settings import load_settings

    return load_settings(config.DEFAULT_WORKSPACE / config.SETTINGS_FILE)


@pytest.fixture(scope="session")
def personal_values() -> set[str]:
    """诉求人, 联系电话, 诉求内容, 事发地址 values read straight from the sample export files."""
    values: set[str] = set()
    for path in sorted((config.DEFAULT_WORKSPACE / config.EXPORTS_DIR).iterdir()):
        if path.suffix.lower() == ".csv":
            raw = path.read_bytes()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            frame = pd.read_csv(path, dtype=str, encoding=enc, keep_default_na=False)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            continue
        for col in PERSONAL_COLUMNS:
            if col in frame.columns:
                values |= {v.strip() for v in frame[col] if len(str(v).strip()) >= 3}
    # A 诉求人 like 陈女士 may be named in a published story (an input the analyst wrote):
    # that is the story's text, not the export's.
    stories = "".join(p.read_text(encoding="utf-8") for p in (config.DEFAULT_WORKSPACE / config.MONTHS_DIR / RENDER_MONTH).rglob("*.md"))
    return {v for v in values if v not in stories}
