"""A content-addressed cache of rule outcomes per service, so a warm ``opsready check`` does
not evaluate unchanged services again.

An entry holds one service's rule outcomes (rule id, status, note, findings) as JSON, keyed by
a hash of everything they depend on: the validated service (only what its author wrote, so a
default and an unwritten field stay apart), the organisation, the effective policy, the day,
opsready's version and the source of the engine and model. Gaps are not stored: they are placed
from the file's current positions after every read, so moving a line never shows a stale one.

Each entry starts with an HMAC made with this user's secret key (``user_cache``): an entry that
this machine did not write is a miss. Without a usable key nothing is read or written.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..model import Organisation, Service
from ..render_store import SignedStore
from ..user_cache import cache_key

if TYPE_CHECKING:
    from .load import Policy

_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def _code_hash() -> bytes:
    """A hash of the source of the policy engine and the model: what outcomes are made by."""
    digest = hashlib.sha256(__version__.encode())
    for folder in ("policy", "model"):
        for path in sorted((_PACKAGE / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update((_PACKAGE / "model_base.py").read_bytes())
    return digest.digest()


def policy_fingerprint(policy: Policy) -> str:
    """Every setting of the effective policy that changes an outcome, as canonical JSON."""
    ages = policy.max_age_days
    return json.dumps({
        "rules": [r.model_dump(mode="json") for r in policy.rules],
        "required": {str(t): lv.label for t, lv in sorted(policy.required_levels.items())},
        "not_enforced": sorted(policy.not_enforced_lifecycles),
        "max_age_days": ages if isinstance(ages, int) else {str(t): d for t, d in
                                                            sorted(ages.items())},
        "placeholders": [sorted(policy.placeholders.exact), list(policy.placeholders.prefixes)],
    }, sort_keys=True)


class EvaluationCache:
    """Rule outcomes by content hash, under ``<root>/evaluated/``, each entry signed."""

    def __init__(self, root: Path | str, policy: Policy, organisation: Organisation,
                 today: dt.date, key: bytes | None = None) -> None:
        self.store = SignedStore(Path(root) / "evaluated",
                                 key if key is not None else cache_key()[0])
        context = hashlib.sha256(_code_hash())
        for part in (policy_fingerprint(policy), organisation.model_dump_json(),
                     today.isoformat()):
            context.update(part.encode("utf-8") + b"\0")
        self._context = context.digest()
        self.hits = 0
        self.misses = 0

    def key(self, service: Service) -> str:
        """The entry key of a service's outcomes."""
        written = service.model_dump_json(exclude_unset=True).encode("utf-8")
        return hashlib.sha256(self._context + written).hexdigest()

    def get(self, key: str) -> Any | None:
        """The stored outcomes, or None (a damaged or unsigned entry is a miss)."""
        if self.store.secret is None:
            return None
        plain = self.store.get(key)
        if plain is None:
            self.misses += 1
        else:
            self.hits += 1
        return plain

    def put(self, key: str, plain: Any) -> None:
        """Store outcomes; a cache that cannot be written is silently skipped."""
        self.store.put(key, plain)
