"""The template sandbox: templates see plain data, never a model's methods.

Jinja's sandbox already refuses ``_private`` and ``__dunder__`` attributes. Catalog objects are
pydantic models, whose methods (``model_validate`` with a chosen base folder, ``model_copy``,
``parse_file`` ...) would let a template build new objects or read files. On a model, a template
may read only its fields and the properties its own class declares; model classes and bound
model methods cannot be called at all.
"""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

_BASE_NAMES = frozenset(dir(BaseModel))
"""Everything pydantic's ``BaseModel`` defines: methods and bookkeeping, never data."""


def _is_model_class(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def is_model_data(model: BaseModel, attr: str) -> bool:
    """Whether ``attr`` of ``model`` is data: a field, or a property its class declares."""
    cls = type(model)
    if attr in cls.model_fields:
        return True
    if attr in _BASE_NAMES or attr.startswith("_"):
        return False
    return isinstance(getattr(cls, attr, None), property)


class PlainDataSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with models reduced to their data.

    Every decision on an attribute depends only on the object's type and the attribute's name
    (Jinja's checks are ``isinstance`` tests and name lists; ours read the model class), except
    on a class itself: decisions on instances are remembered per (type, name), since templates
    read the same few hundred attributes hundreds of thousands of times in a large fleet.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._attribute_decisions: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, type):
            return self._decide(obj, attr, value)
        key = (type(obj), attr)
        decision = self._attribute_decisions.get(key)
        if decision is None:
            decision = self._attribute_decisions[key] = self._decide(obj, attr, value)
        return decision

    def _decide(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, BaseModel):
            return is_model_data(obj, attr)
        return not _is_model_class(obj)

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        owner = getattr(obj, "__self__", None)
        return not (_is_model_class(obj) or isinstance(owner, BaseModel)
                    or _is_model_class(owner))
