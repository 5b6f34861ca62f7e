"""Publishing a month's folder (hotline.run.publish): replaced whole on success, left as it was on failure."""

from __future__ import annotations

import pytest

from hotline.run.publish import publishing, replace_dir


def test_publishing_replaces_the_folder_only_on_success(tmp_path):
    target = tmp_path / "sample" / "2023-03"
    target.mkdir(parents=True)
    (target / "bulletin.pdf").write_text("old")

    with pytest.raises(RuntimeError), publishing(target) as tmp:
        (tmp / "bulletin.pdf").write_text("half")
        raise RuntimeError("notebook failed")
    assert (target / "bulletin.pdf").read_text() == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2023-03"]

    with publishing(target) as tmp:
        (tmp / "bulletin.pdf").write_text("new")
    assert (target / "bulletin.pdf").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2023-03"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_replace_dir_into_a_new_place(tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    (new / "a").write_text("x")
    replace_dir(new, tmp_path / "target")
    assert (tmp_path / "target" / "a").read_text() == "x" and not new.exists()

