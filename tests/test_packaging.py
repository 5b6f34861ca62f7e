"""pyproject.toml and environment.yml pin the same packages at the same versions."""

import re
import tomllib

import yaml

from hotline import config

# conda-forge splits or renames a few PyPI packages.
CONDA_NAMES = {"matplotlib": "matplotlib-base", "nbconvert": "nbconvert-core", "brotli": "brotli-python"}


def _pins(specs):
    pins = {}
    for spec in specs:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)\s*", spec)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra]
    assert len(_pins(specs)) == len(specs), [s for s in specs if "==" not in s]


def test_environment_yml_lists_the_same_pins():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _pins(project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra])
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    have = _pins(conda) | _pins(pip)
    for name, version in wanted.items():
        conda_name = CONDA_NAMES.get(name, name)
        assert have.get(conda_name) == version or have.get(name) == version, f"{name}=={version} missing in environment.yml"
