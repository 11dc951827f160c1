"""Red team: ``opsready init`` writes only inside the folder it was given.

A folder whose ``docs`` or ``service_catalog`` is a link (to another repository, to a folder of
the user's home, or dangling) must not receive files through it, and must not end in a
traceback: such files are reported as not written, with the reason.
"""

from __future__ import annotations

from pathlib import Path

from opsready.cli.main import main


def test_init_writes_nothing_through_a_linked_folder(tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside"
    (outside / "docs").mkdir(parents=True)
    target = tmp_path / "site"
    target.mkdir()
    (target / "service_catalog").symlink_to(outside)
    (target / "docs").symlink_to(outside / "docs")
    (target / ".github").symlink_to(tmp_path / "missing")  # dangling
    assert main(["init", str(target)]) == 1
    out, err = capsys.readouterr()
    assert sorted(p.name for p in outside.rglob("*")) == ["docs"]
    assert not (tmp_path / "missing").exists()
    assert (target / "mkdocs.yml").is_file()
    for name in ("service_catalog/teams.yaml", "docs/index.md", ".github/workflows/docs.yml"):
        assert f"{target / name}: not written: " in err, err
    assert "link" in err
