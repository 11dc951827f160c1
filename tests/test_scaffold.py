"""``opsready new`` writes a service that validates, and never overwrites anything."""

from __future__ import annotations

import shutil
from pathlib import Path

from opsready.catalog.load import load_catalog
from opsready.cli.main import main

REPO = Path(__file__).parents[1]


def _catalog(tmp_path: Path) -> Path:
    root = tmp_path / "service_catalog"
    root.mkdir()
    shutil.copy(REPO / "service_catalog" / "teams.yaml", root / "teams.yaml")
    return root


def test_new_service_validates_and_names_its_schema(tmp_path: Path, capsys) -> None:
    root = _catalog(tmp_path)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "service.schema.json").write_text("{}", encoding="utf-8")
    code = main(["new", "billing-api", "--tier", "2", "--owner", "payments", "--folder",
                 "--name", "Billing: API", "--catalog", str(root)])
    assert code == 0, capsys.readouterr().err
    text = (root / "billing-api" / "service.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/service.schema.json")
    result = load_catalog(root)
    assert result.ok, [d.text() for d in result.diagnostics]
    service = result.catalog.services["billing-api"]
    assert (service.name, service.tier, service.owner) == ("Billing: API", 2, "payments")


def test_new_refuses_bad_ids_unknown_teams_and_existing_services(tmp_path: Path,
                                                                  capsys) -> None:
    root = _catalog(tmp_path)
    assert main(["new", "Bad_Id", "--tier", "1", "--owner", "payments",
                 "--catalog", str(root)]) == 1
    assert "not a valid id" in capsys.readouterr().err
    assert main(["new", "x", "--tier", "1", "--owner", "paymnts", "--catalog", str(root)]) == 1
    assert "unknown team 'paymnts'" in capsys.readouterr().err
    (root / "x.yaml").write_text("hand-written\n", encoding="utf-8")
    assert main(["new", "x", "--tier", "1", "--owner", "payments", "--folder",
                 "--catalog", str(root)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (root / "x.yaml").read_text(encoding="utf-8") == "hand-written\n"
    assert not (root / "x").exists()
