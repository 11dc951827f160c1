"""The typed configuration of the opsready MkDocs plugin (``plugins: - opsready: ...``), built
from the one declaration of the options (``output.options.SiteOptions``): each option is a MkDocs
config option whose validation is ``check_option``, the one ``opsready generate`` uses, so a
wrong value gets the same message from ``mkdocs build`` and from ``generate``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..output.options import OptionError, check_option, declared


class DeclaredOption(c.BaseConfigOption[Any]):
    """A MkDocs config option validated by the core's ``check_option`` (default: the declared
    one; ``None`` stands for the default, as with MkDocs' own options)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.default = declared()[name].default

    def run_validation(self, value: object) -> Any:
        try:
            return check_option(self.name, value)
        except OptionError as exc:
            raise c.ValidationError(str(exc)) from None


def _config_class() -> type[base.Config]:
    namespace: dict[str, Any] = {
        "__doc__": "Options of the ``opsready`` plugin (``output.options.SiteOptions``).",
        "__module__": __name__}
    namespace.update((name, DeclaredOption(name)) for name in declared())
    return type("OpsReadyConfig", (base.Config,), namespace)


if TYPE_CHECKING:
    class OpsReadyConfig(base.Config):
        """Options of the ``opsready`` plugin (``output.options.SiteOptions``)."""
else:
    OpsReadyConfig = _config_class()
