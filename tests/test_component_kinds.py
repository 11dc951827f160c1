"""Kinds: aliases resolve to real classes; dotted names are read from the installed library."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest
from diagrams import Node

from opsready.model import component_kinds as kinds


@pytest.mark.parametrize("alias", sorted(kinds.ALIASES))
def test_every_alias_imports_a_node_class_with_an_icon(alias: str) -> None:
    cls = kinds.resolve_kind(alias)
    assert issubclass(cls, Node)
    assert getattr(cls, "_icon", None), f"{alias} has no icon"
    assert kinds.ALIAS_DESCRIPTIONS[alias]
    assert kinds.is_known_kind(alias)


def test_brief_aliases_are_present() -> None:
    wanted = {
        "load_balancer", "web", "worker", "queue", "cache", "sql", "nosql", "object_storage",
        "k8s", "function", "saas", "user", "dns", "cdn", "firewall", "search", "stream",
        "scheduler", "cron", "mobile", "browser", "monitoring", "secrets", "vault", "service",
        "external",
    }  # fmt: skip
    assert wanted <= set(kinds.ALIASES)


def test_aliases_avoid_cloud_vendors() -> None:
    vendors = ("aws.", "azure.", "gcp.", "alibabacloud.")
    assert not [a for a, d in kinds.ALIASES.items() if d.startswith(vendors)]


def test_dotted_names() -> None:
    assert kinds.is_known_kind("aws.database.RDS")
    assert kinds.is_known_kind("onprem.queue.Kafka")
    assert kinds.is_known_kind("aws.network.ELB")  # a library alias (ELB = ElasticLoadBalancing)
    assert kinds.resolve_kind("aws.database.RDS").__name__ == "RDS"
    assert kinds.resolve_kind("onprem.queue.Kafka") is kinds.resolve_kind("stream")
    for bad in ("aws.database.Rds", "diagrams.aws.database.RDS", "aws.database", "RDS",
                "custom.Custom", "aws.database._Database", "", "os.path.join"):  # fmt: skip
        assert not kinds.is_known_kind(bad), bad
        with pytest.raises(kinds.UnknownKind):
            kinds.resolve_kind(bad)


def test_dotted_list_matches_installed_library() -> None:
    # The regex scan must agree with what the library really exports, module by module.
    names = kinds.all_dotted_kinds()
    assert len(names) > 1000 and names == sorted(set(names))
    by_module: dict[str, set[str]] = {}
    for dotted in names:
        module, _, cls = dotted.rpartition(".")
        by_module.setdefault(module, set()).add(cls)
    for module, classes in by_module.items():
        mod = importlib.import_module(f"diagrams.{module}")
        real = {
            name
            for name, obj in vars(mod).items()
            if inspect.isclass(obj)
            and issubclass(obj, Node)
            and not name.startswith("_")
            and obj.__module__ == mod.__name__
            and getattr(obj, "_icon", None)
        }
        assert classes == real, module


def test_suggestions() -> None:
    assert "postgres" in kinds.suggest_kinds("postgress")
    assert any("Postgresql" in s for s in kinds.suggest_kinds("postgress"))
    assert kinds.suggest_kinds("load-balancer")[0] == "load_balancer"
    assert kinds.suggest_kinds("aws.databse.RDS")[0] == "aws.database.RDS"
    assert kinds.suggest_kinds("kafak")[0] == "kafka"
    assert "web" in kinds.suggest_kinds("webapp")  # short aliases are not crowded out
    assert kinds.suggest_kinds("cronjob")[0] == "k8s.compute.Cronjob"
    assert len(kinds.suggest_kinds("sq", n=1)) <= 1
    assert kinds.suggest_kinds("zzzzzzzzzz") == []
    kinds.suggest_kinds("postgress").clear()  # callers get a copy, not the cached value
    assert kinds.suggest_kinds("postgress")


def test_package_exports_resolve() -> None:
    import opsready.diagrams as engine

    for name in engine.__all__:
        assert getattr(engine, name) is not None, name
    assert sorted(engine.__all__) == sorted(engine._MODULE_OF)


def test_checking_kinds_imports_no_diagrams_library() -> None:
    code = (
        "import sys\n"
        "import opsready.diagrams as engine\n"
        "from opsready.model import component_kinds as kinds\n"
        "assert engine.render_all and engine.spec_hash and engine.GraphvizMissing\n"
        "assert kinds.is_known_kind('aws.database.RDS') and not kinds.is_known_kind('x')\n"
        "kinds.suggest_kinds('postgress')\n"
        "print(sorted(m for m in sys.modules if m == 'diagrams' or m.startswith('diagrams.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
