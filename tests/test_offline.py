"""Installing on an office PC without internet (scripts/wheelhouse.py).

A wheelhouse built for this platform installs into a fresh virtual environment with no index and no
pip configuration, and the installed command renders the sample month from another folder; the
Windows and Linux aarch64 wheelhouses resolve (a dry run against the index, nothing downloaded but
metadata) to binary wheels of every pin, closed under the target's own environment markers.
The tests that need the package index skip, saying so, when it cannot be reached.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import wheelhouse
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pypdf import PdfReader

import hotline
from hotline import config

ROOT = Path(__file__).resolve().parents[1]


def pins(lab: bool) -> dict[str, str]:
    """{normalized name: version} of pyproject.toml's pinned dependencies (and the lab extra's)."""
    return {canonicalize_name(r.name): str(r.specifier)[2:] for r in map(Requirement, wheelhouse.project_requirements(lab))}


def index_unreachable() -> str | None:
    """Why pip's package index cannot be reached (None when it answers): a request for its pip page."""
    url = os.environ.get("PIP_INDEX_URL") or subprocess.run(
        [sys.executable, "-m", "pip", "config", "get", "global.index-url"], capture_output=True, text=True).stdout.strip()
    url = (url or "https://pypi.org/simple").rstrip("/") + "/pip/"
    try:
        urllib.request.urlopen(url, timeout=15).close()
    except OSError as e:  # URLError, a time-out, a refused connection
        return f"the package index {url} cannot be reached ({e}); a wheelhouse is built from it"
    return None


def this_pc() -> wheelhouse.Target:
    """This machine as the docs name an office Linux PC: its manylinux tag and Python X.Y."""
    libc, version = platform.libc_ver()
    if not sys.platform.startswith("linux") or libc != "glibc":
        pytest.skip("the wheelhouse is installed here as on a Linux PC with glibc (a manylinux platform)")
    major, minor = version.split(".")[:2]
    return wheelhouse.Target(f"manylinux_{major}_{minor}_{platform.machine()}", wheelhouse.Target().python)


def required(report: dict, environment: dict[str, str]) -> set[str]:
    """The names the report's requested distributions require, directly or not, where the markers are
    evaluated in `environment` (with the extras asked for each); read from the report's metadata."""
    items = {canonicalize_name(i["metadata"]["name"]): i for i in report["install"]}
    extras = {name: set(i.get("requested_extras") or ()) for name, i in items.items() if i["requested"]}
    todo = list(extras)
    while todo:
        name = todo.pop()
        for spec in items[name]["metadata"].get("requires_dist", []) if name in items else []:
            req = Requirement(spec)
            if req.marker and not any(req.marker.evaluate(environment | {"extra": e}) for e in extras[name] | {""}):
                continue
            dep = canonicalize_name(req.name)
            if dep not in extras or not set(req.extras) <= extras[dep]:
                extras.setdefault(dep, set()).update(req.extras)
                todo.append(dep)
    return set(extras)


# --------------------------------------------------------------------------- fast: no network


def test_a_manylinux_platform_brings_the_older_glibcs_tags():
    tags = wheelhouse.platform_tags("manylinux_2_28_aarch64")
    # pandas 3.1.1's aarch64 wheel is tagged manylinux_2_24 and 2_28, typst's 2_17 and 2014
    assert {"manylinux_2_28_aarch64", "manylinux_2_24_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"} <= set(tags)
    assert "manylinux_2_29_aarch64" not in tags and all(t.endswith("_aarch64") for t in tags)
    assert len(tags) == 24 + 3  # glibc 2.28 … 2.5, and manylinux2014, 2010, 1
    assert wheelhouse.platform_tags("win_amd64") == ["win_amd64"]
    with pytest.raises(SystemExit, match="win32"):
        wheelhouse.platform_tags("win32")  # 32-bit Windows: pyarrow has no wheel


def test_the_marker_environment_is_the_targets():
    windows = wheelhouse.marker_environment(wheelhouse.Target("win_amd64", "3.12"))
    assert Requirement('colorama; platform_system == "Windows"').marker.evaluate(windows)
    assert not Requirement('pexpect>4.3; sys_platform != "win32"').marker.evaluate(windows)
    assert Requirement('aiohttp>=3.9.0; python_version == "3.12"').marker.evaluate(windows)
    arm = wheelhouse.marker_environment(wheelhouse.Target("manylinux_2_28_aarch64", "3.11"))
    assert (arm["platform_machine"], arm["sys_platform"], arm["python_full_version"]) == ("aarch64", "linux", "3.11.0")


def test_the_install_files_name_the_targets_commands():
    bat = wheelhouse.install_files(wheelhouse.Target("win_amd64", "3.11"))
    assert set(bat) == {"install.bat", "README.txt"} and b"\r\n" in bat["install.bat"]
    assert rb"py -3.11 -m venv" in bat["install.bat"] and rb".venv\Scripts\hotline run" in bat["README.txt"]
    sh = wheelhouse.install_files(wheelhouse.Target("manylinux_2_28_x86_64", "3.12"))
    assert set(sh) == {"install.sh", "README.txt"} and b"\r" not in sh["install.sh"]
    assert b"${PYTHON:-python3.12} -m venv" in sh["install.sh"].replace(b'"', b"")


def test_a_folder_that_is_not_a_wheelhouse_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit, match="not empty"):
        wheelhouse.prepare(tmp_path)
    assert (tmp_path / "notes.txt").is_file()


# --------------------------------------------------------------------------- slow: the package index


@pytest.mark.slow
@pytest.mark.parametrize("target", [wheelhouse.Target("win_amd64", "3.11"), wheelhouse.Target("manylinux_2_28_aarch64", "3.12")],
                         ids=lambda t: t.name)
def test_another_platforms_wheelhouse_resolves_to_its_own_binary_wheels(target):
    if reason := index_unreachable():
        pytest.skip(reason)
    report = wheelhouse.resolve(target, *wheelhouse.project_requirements(lab=True))
    chosen = {canonicalize_name(i["metadata"]["name"]): i for i in report["install"]}
    assert {name: chosen[name]["metadata"]["version"] for name in pins(lab=True)} == pins(lab=True)
    tags = set(wheelhouse.platform_tags(target.platform)) | {"any"}
    cp = "cp" + target.python.replace(".", "")
    for name, item in chosen.items():
        # name-version[-build]-python-abi-platform.whl; a platform part may list several tags
        python, abi, platforms = item["download_info"]["url"].rsplit("/", 1)[1].removesuffix(".whl").split("-")[-3:]
        assert set(platforms.split(".")) & tags, (name, platforms)
        assert abi in {cp, "abi3", "none"} and (abi != cp or python == cp), (name, python, abi)
    # pip ran with the target's markers (pypa/pip#11664): what the set requires there is the set
    assert report["environment"]["sys_platform"] == ("win32" if target.windows else "linux")
    assert required(report, wheelhouse.marker_environment(target)) == set(chosen)
    # tqdm requires colorama on Windows only, ipython pexpect everywhere else
    assert ("colorama" in chosen, "pexpect" in chosen) == (target.windows, not target.windows)


@pytest.mark.slow
def test_a_wheelhouse_installs_with_no_network_and_renders_from_another_folder(tmp_path, rendered):
    target = this_pc()
    if reason := index_unreachable():
        pytest.skip(reason)
    pc = tmp_path / "pc"
    done = subprocess.run([sys.executable, ROOT / "scripts" / "wheelhouse.py", "--platform", target.platform,
                           "--python", target.python, "-o", pc / "wheelhouse"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "installs with no index (checked)" in done.stdout
    lock = dict(re.findall(r"^(\S+)==(\S+) --hash=sha256:[0-9a-f]{64}$", (pc / "wheelhouse" / wheelhouse.LOCK).read_text(encoding="utf-8"), re.M))
    locked = {canonicalize_name(name): version for name, version in lock.items()}
    assert pins(lab=False).items() <= locked.items() and locked["hotline-bulletin"] == hotline.__version__
    assert len(lock) == len(list((pc / "wheelhouse").glob("*.whl")))

    # The PC: no index, no pip configuration, nothing of this environment.
    offline = {k: v for k, v in wheelhouse.offline_environment().items() if k not in {"PYTHONPATH", "HOTLINE_OUTPUT", "HOTLINE_CACHE"}}
    done = subprocess.run(["sh", "wheelhouse/install.sh"], cwd=pc, env=offline | {"PYTHON": sys.executable},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    venv = pc / ".venv"
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    done = subprocess.run([venv / "bin" / "python", "-m", "pip", "check"], env=offline, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout

    workspace = pc / "furong"
    shutil.copytree(config.DEFAULT_WORKSPACE, workspace, ignore=shutil.ignore_patterns(".cache"))
    (pc / "elsewhere").mkdir()
    done = subprocess.run([venv / "bin" / "hotline", "run", "2023-03", "--data", "../furong", "--flavour", "official", "--no-progress"],
                          cwd=pc / "elsewhere", env=offline, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    month = pc / "elsewhere" / "output" / "furong" / "2023-03"
    assert {"bulletin.pdf", "bulletin.html", "bulletin.docx"} <= {p.name for p in month.iterdir()}
    text = "".join(page.extract_text() for page in PdfReader(month / "bulletin.pdf").pages)
    assert "芙蓉区12345政务热线三月份情况通报" in re.sub(r"\s+", "", text)
    # the wheelhouse's packages set the same bytes as this environment's
    assert (month / "bulletin.pdf").read_bytes() == (rendered.out_dir / "bulletin.pdf").read_bytes()
    assert (month / "bulletin.docx").read_bytes() == (rendered.out_dir / "bulletin.docx").read_bytes()

