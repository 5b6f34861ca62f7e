#!/usr/bin/env python3
"""A wheelhouse: everything hotline-bulletin needs, as wheels, to install on a PC without internet.

On a machine with internet (and Python 3.11+ with pip), for the office PC's platform and Python:

    python scripts/wheelhouse.py -o wheelhouse                                      # this machine
    python scripts/wheelhouse.py --platform win_amd64 --python 3.11 -o wheelhouse   # a Windows PC
    python scripts/wheelhouse.py --platform manylinux_2_28_aarch64 --python 3.11 -o wheelhouse
    python scripts/wheelhouse.py ... --lab     # with JupyterLab (the `lab` extra)
    python scripts/wheelhouse.py ... --resolve-only   # only say what it would download (no -o)

The folder gets the project's own wheel (pip wheel --no-deps), every pinned dependency and theirs as
binary wheels for that platform (pip download --only-binary=:all:), requirements.txt (each wheel as
name==version with its sha256) and install.bat or install.sh with README.txt. Then pip checks, with
no index and no configuration, that the folder alone installs (a dry run for the target).

Resolution is pip's. One thing pip does not do for another platform: it evaluates environment markers
(`colorama; platform_system == "Windows"`) for the machine it runs on, not the --platform given
(pypa/pip#11664). So pip runs with its marker environment replaced by the target's (`marker_environment`);
otherwise a wheelhouse built on Linux for Windows would lack colorama (tqdm's) and pywinpty (terminado's).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = "requirements.txt"
# What setuptools reads to build the wheel (pyproject.toml's readme and package-dir).
SOURCES = ["pyproject.toml", "README.md", "lib", "notebooks"]
# The platforms whose wheels were checked (README, "Office PC without internet"): Windows on ARM, 32-bit
# Windows and LoongArch lack wheels of some pins (PyYAML, pyarrow, pandas).
WINDOWS_MACHINES = {"win_amd64": "AMD64"}
LINUX_MACHINES = ("x86_64", "aarch64")
MANYLINUX = re.compile(rf"manylinux_(\d+)_(\d+)_({'|'.join(LINUX_MACHINES)})")
LEGACY_MANYLINUX = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}  # PEP 600's glibc 2.N

# pip with its marker environment replaced: the target's, a JSON object as the first argument.
PIP_FOR_TARGET = """\
import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv.pop(1))
markers.default_environment = lambda: dict(target)
from pip._internal.cli.main import main
sys.exit(main())
"""


@dataclass(frozen=True)
class Target:
    """Where the wheels will be installed: a wheel platform tag (None: this machine) and X.Y of CPython."""

    platform: str | None = None
    python: str = f"{sys.version_info.major}.{sys.version_info.minor}"

    @property
    def name(self) -> str:
        """The platform and Python as the lock and README name them, e.g. 'win_amd64, CPython 3.11'."""
        return f"{self.platform or this_platform()}, CPython {self.python}"

    @property
    def windows(self) -> bool:
        """Whether the PC runs Windows (install.bat, backslashes) rather than Linux."""
        return (self.platform or this_platform()).startswith("win")


def this_platform() -> str:
    """This machine's platform as a wheel tag's platform part (win_amd64, linux_x86_64, macosx_…)."""
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


def manylinux(tag: str) -> tuple[int, str]:
    """(glibc minor version, machine) of a manylinux tag: 'manylinux_2_28_aarch64' → (28, 'aarch64')."""
    if m := MANYLINUX.fullmatch(tag):
        if m[1] != "2":
            raise ValueError(f"{tag}: glibc 2 only")
        return int(m[2]), m[3]
    legacy, _, machine = tag.partition("_")
    if legacy in LEGACY_MANYLINUX and machine in LINUX_MACHINES:
        return LEGACY_MANYLINUX[legacy], machine
    raise ValueError(tag)


def platform_tags(platform: str) -> list[str]:
    """The wheel platform tags a PC of `platform` installs, for pip's --platform (one option each).

    pip takes each --platform literally (it widens only manylinux2014/2010): a wheel tagged just
    manylinux_2_24_x86_64 would not count for --platform manylinux_2_28_x86_64. So a manylinux tag
    brings every older glibc's, and the legacy names of the same: manylinux_2_28_x86_64 →
    manylinux_2_28_x86_64 … manylinux_2_5_x86_64, manylinux2014_x86_64, manylinux2010_x86_64, manylinux1_x86_64.
    """
    if platform in WINDOWS_MACHINES:
        return [platform]
    try:
        glibc, machine = manylinux(platform)
    except ValueError:
        known = [*WINDOWS_MACHINES, *(f"manylinux_2_<glibc>_{machine}" for machine in LINUX_MACHINES)]
        raise SystemExit(f"--platform {platform}: not a platform whose wheels were checked; use one of {', '.join(known)}") from None
    tags = [f"manylinux_2_{n}_{machine}" for n in range(glibc, 4, -1)]
    return tags + [f"{name}_{machine}" for name, n in LEGACY_MANYLINUX.items() if n <= glibc]


def marker_environment(target: Target) -> dict[str, str]:
    """PEP 508's marker variables for a CPython `target.python` on `target.platform` (a --platform tag,
    not None).

    The Python's patch level is unknown (X.Y.0 is assumed) and so are the kernel's release and
    version (empty): the pinned packages' markers do not test them."""
    full = target.python if target.python.count(".") == 2 else f"{target.python}.0"
    if target.platform in WINDOWS_MACHINES:
        os_name, sys_platform, system, machine = "nt", "win32", "Windows", WINDOWS_MACHINES[target.platform]
    else:
        os_name, sys_platform, system, machine = "posix", "linux", "Linux", manylinux(target.platform)[1]
    return {
        "implementation_name": "cpython", "implementation_version": full, "os_name": os_name,
        "platform_machine": machine, "platform_python_implementation": "CPython", "platform_release": "",
        "platform_system": system, "platform_version": "", "python_full_version": full,
        "python_version": ".".join(full.split(".")[:2]), "sys_platform": sys_platform,
    }


def pip(target: Target, *args: str) -> list[str]:
    """The command running pip with `args` for `target`: binary wheels only and, for another platform,
    its tags, Python version and marker environment."""
    options = ["--only-binary=:all:"]
    if target.platform is None:
        if target.python != Target().python:
            raise SystemExit(f"--python {target.python} is not this Python's version ({Target().python}): give --platform too")
        return [sys.executable, "-m", "pip", *args, *options]
    options += ["--implementation", "cp", "--python-version", target.python]
    options += [option for tag in platform_tags(target.platform) for option in ("--platform", tag)]
    return [sys.executable, "-c", PIP_FOR_TARGET, json.dumps(marker_environment(target)), *args, *options]


def offline_environment() -> dict[str, str]:
    """This process's environment for a pip that sees only what it is given: no PIP_* settings, no
    configuration file (where an index, find-links or constraints could hide) and no index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return env | {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def project_requirements(lab: bool) -> list[str]:
    """The project's pinned dependencies from pyproject.toml, with the `lab` extra's if `lab`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"] + (project["optional-dependencies"]["lab"] if lab else [])


def build_project_wheel(dest: Path) -> Path:
    """Builds the project's wheel (no dependencies) into `dest` and returns its path. Built from a
    copy of the sources: setuptools leaves build/ and egg-info folders beside what it builds."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        source.mkdir()
        for name in SOURCES:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb", ".*"))
            else:
                shutil.copy2(ROOT / name, source / name)
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), str(source)])
    [wheel] = dest.glob("hotline_bulletin-*.whl")
    return wheel


def resolve(target: Target, *args: str, env: dict[str, str] | None = None) -> dict:
    """pip's installation report (a dry run, nothing installed) for `args` (requirements and options)
    on `target`: its 'install' list holds each distribution chosen, its metadata and download URL."""
    with tempfile.TemporaryDirectory() as tmp:
        command = pip(target, "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-",
                      "--target", tmp, *args)
        return json.loads(run(command, env=env))


def wheel_pins(folder: Path) -> list[tuple[str, str, Path]]:
    """(name, version, file) of each wheel in `folder`, sorted by name; the name as its file spells it."""
    found = [(f.name.split("-")[0], f.name.split("-")[1], f) for f in folder.glob("*.whl")]
    return sorted(found, key=lambda pin: pin[0].lower().replace("_", "-"))


def lock_text(folder: Path, target: Target) -> str:
    """requirements.txt of the wheels in `folder`: name==version --hash=sha256:…, one a line."""
    lines = [f"# hotline-bulletin wheelhouse for {target.name}, written by scripts/wheelhouse.py.",
             "# pip install --no-index --find-links <this folder> --require-hashes -r requirements.txt"]
    for name, version, path in wheel_pins(folder):
        lines.append(f"{name}=={version} --hash=sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return "\n".join(lines) + "\n"


INSTALL_BAT = r"""@echo off
rem Installs hotline-bulletin from this folder, with no network, for {target}.
rem Into the folder given as the first argument, default .venv beside this folder; Python from the py launcher.
setlocal
set "HERE=%~dp0"
set "VENV=%~1"
if "%VENV%"=="" set "VENV=%HERE%..\.venv"
py -{python} -m venv "%VENV%" || exit /b 1
"%VENV%\Scripts\python" -m pip install --no-index --find-links "%HERE%." --require-hashes -r "%HERE%{lock}" || exit /b 1
echo Installed. Run: "%VENV%\Scripts\hotline" run 2023-03 --data ^<workspace^>
"""

INSTALL_SH = """#!/bin/sh
# Installs hotline-bulletin from this folder, with no network, for {target}.
# Into the folder given as the first argument, default .venv beside this folder; Python from $PYTHON, default python{python}.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${{1:-$(dirname "$HERE")/.venv}}
"${{PYTHON:-python{python}}}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-index --find-links "$HERE" --require-hashes -r "$HERE/{lock}"
echo "Installed. Run: $VENV/bin/hotline run 2023-03 --data <workspace>"
"""

README = """hotline-bulletin 离线安装包 / wheelhouse: {target}
{lock} lists each wheel with its sha256: a file damaged on the way is refused.

办公电脑需要 / the office PC needs: CPython {python}, 64-bit.
把整个文件夹复制过去（这里叫 wheelhouse），在它的上一级文件夹里运行 / copy this folder (named wheelhouse here),
then in the folder that holds it:

    {script}

或者逐条输入 / or by hand:

    {python_command} -m venv .venv
    {bin}python -m pip install --no-index --find-links wheelhouse --require-hashes -r wheelhouse{sep}{lock}

之后 / then:

    {bin}hotline run 2023-03 --data <workspace>
"""


def install_files(target: Target) -> dict[str, bytes]:
    """The install script for the target's system (install.bat or install.sh) and README.txt, by file
    name; with CRLF line ends for Windows (cmd.exe misreads some LF-only batch files)."""
    fields = {"target": target.name, "python": target.python, "lock": LOCK}
    if target.windows:
        script, text = "install.bat", INSTALL_BAT
        fields |= {"script": "wheelhouse\\install.bat", "python_command": f"py -{target.python}", "bin": ".venv\\Scripts\\", "sep": "\\"}
    else:
        script, text = "install.sh", INSTALL_SH
        fields |= {"script": "sh wheelhouse/install.sh", "python_command": f"python{target.python}", "bin": ".venv/bin/", "sep": "/"}
    newline = "\r\n" if target.windows else "\n"
    files = {script: text.format(**fields), "README.txt": README.format(**fields)}
    return {name: body.replace("\n", newline).encode("utf-8") for name, body in files.items()}


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Runs pip's `command`; its stdout, or SystemExit with pip's errors (else all it said) when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        raise SystemExit("pip failed:\n" + ("\n".join(errors) or done.stderr.strip()))
    return done.stdout


def prepare(out: Path) -> None:
    """Empties `out` if it holds a wheelhouse of an earlier run; refuses a folder with anything else."""
    if out.is_dir() and any(out.iterdir()):
        if not (out / LOCK).is_file():
            raise SystemExit(f"{out} is not empty and holds no {LOCK}: give an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def build(target: Target, out: Path, lab: bool) -> list[tuple[str, str, Path]]:
    """Writes the wheelhouse for `target` into `out` and checks that it installs with nothing else;
    returns its wheels as wheel_pins does."""
    prepare(out)
    build_project_wheel(out)
    run(pip(target, "download", "--quiet", "--dest", str(out), *project_requirements(lab)))
    (out / LOCK).write_text(lock_text(out, target), encoding="utf-8")
    for name, data in install_files(target).items():
        (out / name).write_bytes(data)
    resolve(target, "--find-links", str(out), "--require-hashes", "-r", str(out / LOCK), env=offline_environment())
    return wheel_pins(out)


def parser() -> argparse.ArgumentParser:
    """The command line: the target, the folder, the lab extra, or a resolution only."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", help="the office PC's wheel platform tag: win_amd64, manylinux_2_28_x86_64, "
                                           "manylinux_2_28_aarch64 (glibc 2.28: UOS 20, Kylin V10); default this machine")
    parser.add_argument("--python", default=Target().python, help="the office PC's Python, X.Y (default this one's)")
    parser.add_argument("--lab", action="store_true", help="with JupyterLab (the lab extra)")
    parser.add_argument("-o", "--out", type=Path, help="the wheelhouse folder (emptied if it holds an earlier wheelhouse)")
    parser.add_argument("--resolve-only", action="store_true", help="list what would be downloaded; download nothing")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    target = Target(args.platform, args.python)
    if args.resolve_only:
        for item in resolve(target, *project_requirements(args.lab))["install"]:
            print(item["download_info"]["url"].rsplit("/", 1)[-1])
        return
    if args.out is None:
        raise SystemExit("-o/--out: the wheelhouse folder is needed (unless --resolve-only)")
    pins = build(target, args.out, args.lab)
    size = sum(path.stat().st_size for *_, path in pins) / 2**20
    print(f"{args.out}: {len(pins)} wheels, {size:.0f} MiB, for {target.name}; installs with no index (checked)")


if __name__ == "__main__":
    main()
