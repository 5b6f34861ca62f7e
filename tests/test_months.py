"""Month arguments (hotline.months): single months, ranges and lists, and the problems of bad ones."""

from __future__ import annotations

import pytest

from hotline.errors import InputError
from hotline.periods import expand as expand_months


def test_expand_months():
    assert expand_months(["2023-03"]) == ["2023-03"]
    assert expand_months(["2022-11:2023-02"]) == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert expand_months(["2023-01,2023-03", "2023-01"]) == ["2023-01", "2023-03"]
    with pytest.raises(InputError) as err:
        expand_months(["2023-13", "2023-03:2023-01"])
    assert len(err.value.problems) == 2

