"""Component kinds: short aliases and dotted `diagrams` class names, validated without imports.

`opsready check` validates every component's kind, so `is_known_kind` and `suggest_kinds`
read the names from the library's source files (one regex pass, cached in-process) instead
of importing its ~250 modules. Only `resolve_kind` imports, and only the module it needs.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import importlib
import importlib.util
import re
from collections import Counter
from pathlib import Path
from typing import Any

# alias -> (dotted class under `diagrams.`, one-line description for the docs).
# Icons without a vendor logo where the library has one (generic, onprem, k8s, and OCI's
# plain line icons); product aliases for the few products nearly every catalog names.
_ALIAS_TABLE: dict[str, tuple[str, str]] = {
    "service": ("onprem.compute.Server", "an internal service of ours (the default)"),
    "web": ("onprem.compute.Server", "web application or HTTP API"),
    "api_gateway": ("oci.devops.APIGateway", "API gateway"),
    "load_balancer": ("oci.network.LoadBalancer", "load balancer or reverse proxy"),
    "worker": ("k8s.compute.Job", "background worker or batch job"),
    "scheduler": ("k8s.compute.Cronjob", "scheduler running jobs on a timetable"),
    "cron": ("k8s.compute.Cronjob", "cron job (same icon as scheduler)"),
    "function": ("oci.compute.Functions", "serverless function"),
    "k8s": ("k8s.compute.Deployment", "Kubernetes workload"),
    "container": ("oci.compute.Container", "container outside Kubernetes"),
    "vm": ("oci.compute.VM", "virtual machine"),
    "queue": ("oci.monitoring.Queue", "message queue"),
    "stream": ("onprem.queue.Kafka", "event stream (Kafka and the like)"),
    "cache": ("onprem.inmemory.Redis", "in-memory cache"),
    "sql": ("generic.database.SQL", "SQL database"),
    "nosql": ("onprem.database.Mongodb", "NoSQL / document database"),
    "object_storage": ("oci.storage.ObjectStorage", "object storage (buckets)"),
    "file_storage": ("oci.storage.FileStorage", "shared file system"),
    "search": ("oci.monitoring.Search", "search engine"),
    "dns": ("oci.connectivity.DNS", "DNS"),
    "cdn": ("oci.connectivity.CDN", "content delivery network"),
    "firewall": ("generic.network.Firewall", "firewall"),
    "waf": ("oci.security.WAF", "web application firewall"),
    "vpn": ("generic.network.VPN", "VPN"),
    "identity": ("oci.security.IDAccess", "identity provider / authentication"),
    "secrets": ("oci.security.Vault", "secrets manager"),
    "vault": ("oci.security.Vault", "secrets vault (same icon as secrets)"),
    "monitoring": ("onprem.monitoring.Prometheus", "monitoring and alerting"),
    "logging": ("oci.governance.Logging", "log collection"),
    "email": ("oci.monitoring.Email", "e-mail delivery"),
    "saas": ("onprem.network.Internet", "external SaaS product"),
    "external": ("generic.place.Datacenter", "generic external system (a partner's)"),
    "user": ("onprem.client.User", "a user"),
    "users": ("onprem.client.Users", "a group of users"),
    "browser": ("onprem.client.Client", "web browser / desktop client"),
    "mobile": ("generic.device.Mobile", "mobile app"),
    "postgres": ("onprem.database.Postgresql", "PostgreSQL"),
    "mysql": ("onprem.database.Mysql", "MySQL"),
    "redis": ("onprem.inmemory.Redis", "Redis"),
    "kafka": ("onprem.queue.Kafka", "Kafka"),
    "rabbitmq": ("onprem.queue.Rabbitmq", "RabbitMQ"),
    "elasticsearch": ("elastic.elasticsearch.Elasticsearch", "Elasticsearch"),
}

ALIASES: dict[str, str] = {alias: dotted for alias, (dotted, _) in _ALIAS_TABLE.items()}
ALIAS_DESCRIPTIONS: dict[str, str] = {alias: doc for alias, (_, doc) in _ALIAS_TABLE.items()}

# Providers whose nodes need more than a label (Custom takes an icon path; c4 has functions).
_SKIPPED_PROVIDERS = {"base", "custom", "c4"}
_CLASS = re.compile(r"^class ([A-Z]\w*)\(", re.MULTILINE)
_ALIAS = re.compile(r"^([A-Z]\w*) = ([A-Z]\w*)\s*$", re.MULTILINE)


class UnknownKind(ValueError):
    """A kind that is neither an alias nor a dotted `diagrams` class name."""


def _package_dir() -> Path:
    spec = importlib.util.find_spec("diagrams")  # finds without importing
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the `diagrams` library is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.lru_cache(maxsize=1)
def _dotted_kinds() -> frozenset[str]:
    names: set[str] = set()
    for path in _package_dir().glob("*/*.py"):
        provider = path.parent.name
        if path.name.startswith("_") or provider in _SKIPPED_PROVIDERS:
            continue
        source = path.read_text(encoding="utf-8")
        prefix = f"{provider}.{path.stem}."
        names.update(prefix + name for name in _CLASS.findall(source))
        # Library aliases such as `ELB = ElasticLoadBalancing` are importable names too.
        names.update(prefix + name for name, _ in _ALIAS.findall(source))
    return frozenset(names)


# A dotted `diagrams` class name: provider, module(s), then the class (`aws.database.RDS`).
DOTTED_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\.[A-Z][A-Za-z0-9_]*$"


def kind_json_schema() -> dict[str, Any]:
    """The JSON Schema of a kind, for editors: each alias with its description, or a dotted name.

    Dotted names are matched by pattern, not listed: the list depends on the installed
    `diagrams` version and would make the published schema change with it.
    """
    aliases: list[dict[str, Any]] = [
        {"const": alias, "description": f"{ALIAS_DESCRIPTIONS[alias]}; drawn as {dotted}"}
        for alias, dotted in ALIASES.items()
    ]
    dotted = {
        "type": "string",
        "pattern": DOTTED_PATTERN,
        "description": "Any node class of the `diagrams` library, e.g. `aws.database.RDS`, "
        "`gcp.compute.GKE`, `onprem.queue.Kafka`.",
    }
    return {"anyOf": [*aliases, dotted]}


def all_dotted_kinds() -> list[str]:
    """Return every dotted class name accepted as a kind, e.g. `aws.database.RDS`, sorted."""
    return sorted(_dotted_kinds())


def is_known_kind(name: str) -> bool:
    """Tell whether `name` is an alias or a dotted `diagrams` class name (no imports)."""
    return name in ALIASES or name in _dotted_kinds()


def _normal(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


@functools.lru_cache(maxsize=1)
def _index() -> tuple[list[tuple[str, str, int]], dict[str, list[int]]]:
    # (key, kind) entries, aliases first so that they win ties; a dotted name is also keyed
    # by its class name, so that "postgress" finds "onprem.database.Postgresql".
    keyed = [(_normal(alias), alias) for alias in ALIASES]
    for dotted in sorted(_dotted_kinds()):
        keyed.append((_normal(dotted), dotted))
        keyed.append((_normal(dotted.rpartition(".")[2]), dotted))
    entries = [(key, kind, len(_pairs(key))) for key, kind in keyed]
    postings: dict[str, list[int]] = {}
    for number, (key, _, _) in enumerate(entries):
        for pair in _pairs(key):
            postings.setdefault(pair, []).append(number)
    return entries, postings


def suggest_kinds(name: str, n: int = 3) -> list[str]:
    """Return up to `n` known kinds close to `name`, best first (aliases win ties)."""
    return list(_suggest(name, n))


_CUTOFF = 0.6
_SHORTLIST = 100  # exact comparisons per lookup: keeps a typo at ~1 ms among ~5,000 keys


@functools.lru_cache(maxsize=1024)  # a catalog repeats its typos
def _suggest(name: str, n: int) -> tuple[str, ...]:
    wanted = _normal(name)
    if not wanted:
        return ()
    entries, postings = _index()
    pairs = _pairs(wanted)
    shared: Counter[int] = Counter()
    for pair in pairs:
        shared.update(postings.get(pair, ()))
    # Only the keys most alike by letter pairs (Dice coefficient) get difflib's slower ratio.
    shortlist = heapq.nlargest(
        _SHORTLIST, shared, key=lambda number: shared[number] / (entries[number][2] + len(pairs))
    )
    matcher = difflib.SequenceMatcher(b=wanted)
    best: dict[str, tuple[float, int]] = {}
    for number in shortlist:
        key, kind, _ = entries[number]
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() < _CUTOFF or matcher.quick_ratio() < _CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= _CUTOFF and ratio > best.get(kind, (0.0, 0))[0]:
            best[kind] = (ratio, number)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
    return tuple(kind for kind, _ in ranked[:n])


def dotted_kind(name: str) -> str:
    """Return the dotted class name for an alias or dotted kind; raise UnknownKind otherwise."""
    if name in ALIASES:
        return ALIASES[name]
    if name in _dotted_kinds():
        return name
    hint = ", ".join(suggest_kinds(name))
    raise UnknownKind(f"unknown kind {name!r}" + (f"; did you mean {hint}?" if hint else ""))


@functools.cache
def resolve_kind(name: str) -> type:
    """Import and return the `diagrams` node class for a kind (alias or dotted name)."""
    module_name, _, class_name = dotted_kind(name).rpartition(".")
    module = importlib.import_module(f"diagrams.{module_name}")
    cls = getattr(module, class_name)
    from diagrams import Node  # lazy: keeps check fast

    if not (isinstance(cls, type) and issubclass(cls, Node)):
        raise UnknownKind(f"kind {name!r} is not a diagrams node class")
    return cls
