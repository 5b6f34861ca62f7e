"""District settings are validated on load with messages that name the key."""

from pathlib import Path

import pytest
import yaml

from factories import BAD_SETTINGS, changed
from hotline import config
from hotline.errors import InputError
from hotline.inputs.settings import load_settings


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_sample_settings_load():
    s = load_settings(config.DEFAULT_WORKSPACE / "district.yaml")
    assert s.district == "芙蓉区" and sum(g.weight for g in s.scoring.groups) == 100
    assert [g.name for g in s.scoring.groups] == ["诉求响应率", "问题解决率", "在线办结率", "回访满意率"]




@pytest.mark.parametrize("edit,message,key", BAD_SETTINGS)
def test_bad_settings_name_the_key(tmp_path, edit, message, key):
    with pytest.raises(InputError) as exc:
        load_settings(write(tmp_path, changed(edit)))
    problem = exc.value.problems[0]
    assert problem.column == key
    assert message in problem.message
    assert "district.yaml" in str(problem)


def test_yaml_syntax_error_names_line(tmp_path):
    with pytest.raises(InputError) as exc:
        load_settings(write(tmp_path, "district: 芙蓉区\nscoring: [\n"))
    assert exc.value.problems[0].row is not None


def test_yaml_is_loaded_safely(tmp_path):
    with pytest.raises(InputError):
        load_settings(write(tmp_path, "district: !!python/object/apply:os.system ['echo hi']\n"))
