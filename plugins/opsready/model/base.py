"""Building blocks shared by every part of the catalog model.

The catalog model (``model.py``) is the single source of truth for the YAML format: the JSON
Schema that editors use and the reference page in the docs are both exported from it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from ..catalog.yaml_loader import MAX_MARKDOWN_BYTES, FileReadError, read_bounded_text
from ..guard.visible import has_visible, shown

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=63),
    Field(description="A lowercase slug: letters a-z, digits and single hyphens, 1-63 characters."),
]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
URL_PATTERN = r"^(https?://|mailto:|tel:|/|\./|\.\./)\S*$"
Url = Annotated[
    str,
    StringConstraints(pattern=URL_PATTERN),
    Field(description="An absolute http(s) URL, a mailto:/tel: link, or a site-relative path."),
]


class Strict(BaseModel):
    """Base of every catalog object: unknown keys are errors and objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FileRef(Strict):
    """Long prose kept in a Markdown file beside the YAML file."""

    file: str = Field(
        description="Path of a Markdown file, relative to the YAML file that names it; it must "
        "stay inside the catalog folder."
    )
    _text: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> FileRef:
        # Resolution needs the YAML file's folder and the catalog root, passed as context by the
        # validator. Without a context (schema export, unit tests) the reference stays unread.
        ctx = info.context or {}
        base = ctx.get("base_dir")
        root = ctx.get("catalog_root")
        if base is None or root is None:
            return self
        target = (Path(base) / self.file).resolve()
        root_path = Path(root)  # resolved by the validator, once per file
        if not target.is_relative_to(root_path):
            raise ValueError(
                f"file reference '{self.file}' points outside the catalog folder (after "
                "following links); keep Markdown files inside the catalog"
            )
        if target.suffix.lower() not in (".md", ".markdown"):
            raise ValueError(f"file reference '{self.file}' must name a Markdown file (.md)")
        if not target.is_file():
            raise ValueError(
                f"file '{self.file}' does not exist (looked for "
                f"{target.relative_to(root_path.parent).as_posix()}); create it or fix the path"
            )
        try:
            text = read_bounded_text(target, MAX_MARKDOWN_BYTES,
                                     hint="split it into several files")
        except FileReadError as exc:
            hint = f"; {exc.hint}" if exc.hint else ""
            raise ValueError(f"file '{self.file}': {exc.message}{hint}") from None
        read = ctx.get("read_files")
        if isinstance(read, set):
            read.add(target)
        self._text = text
        self._path = str(target)
        return self

    @property
    def text(self) -> str:
        """The Markdown content of the referenced file ('' when not resolved)."""
        return self._text

    @property
    def path(self) -> str:
        """Absolute path of the referenced file ('' when not resolved)."""
        return self._path


def _prose_tag(value: Any) -> str:
    return "file" if isinstance(value, (dict, FileRef)) else "text"


Prose = Annotated[
    Annotated[str, Tag("text")] | Annotated[FileRef, Tag("file")],
    Discriminator(_prose_tag),
    Field(
        description="Markdown text, inline or as `{file: name.md}` naming a Markdown file beside "
        "the YAML file."
    ),
]


MARKDOWN_INLINE = "text/markdown"
InlineMarkdown = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    Field(json_schema_extra={"contentMediaType": MARKDOWN_INLINE}),
]
"""A short text shown in a sentence or table cell that may use inline Markdown (`code`,
**bold**, links): rendered like prose, on one line."""


def is_markdown(field: FieldInfo) -> bool:
    """True when a model field holds Markdown (``Prose`` or ``InlineMarkdown``, also optional
    or in a list)."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and extra.get("contentMediaType") == MARKDOWN_INLINE:
        return True  # pydantic moves a bare InlineMarkdown's metadata onto the field
    text = repr(field.annotation)
    return "FileRef" in text or MARKDOWN_INLINE in text


def models_in(annotation: Any) -> Any:
    """Every model class an annotation can hold (through Optional, lists, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from models_in(arg)


@functools.cache
def fields_reaching(cls: type[BaseModel], target: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of ``cls`` whose values can contain a ``target`` object.

    Walks of the validated model (step references, prose checks) use it as a plan: they skip
    every field that cannot lead to what they look for.
    """
    return frozenset(name for name, info in cls.model_fields.items()
                     if any(_reaches(m, target, frozenset()) for m in models_in(info.annotation)))


def _reaches(cls: type[BaseModel], target: type[BaseModel], seen: frozenset[type]) -> bool:
    if issubclass(cls, target):
        return True
    if cls in seen:
        return False
    seen = seen | {cls}
    return any(_reaches(m, target, seen) for info in cls.model_fields.values()
               for m in models_in(info.annotation))


def prose_text(value: str | FileRef | None) -> str:
    """Return the Markdown of a prose field, reading through file references."""
    if value is None:
        return ""
    if isinstance(value, FileRef):
        return value.text
    return value


class Link(Strict):
    """A titled link: a dashboard, a ticket, a report, a document."""

    title: NonEmptyStr = Field(description="What the link opens, as a reader should see it.")
    url: Url = Field(description="Where it points.")


BOOKKEEPING = frozenset({"evidence", "last_reviewed", "not_applicable", "not_applicable_parts"})
"""The readiness bookkeeping keys every section carries: they are not the section's content."""


class Tracked(Strict):
    """Readiness bookkeeping carried by every section of a service.

    A section can prove itself with evidence links, say when it was last reviewed, or be declared
    not applicable, but only with a written reason.
    """

    evidence: list[Link] = Field(
        default_factory=list,
        description="Links that prove the section: tickets, dashboards, reports, test runs.",
    )
    last_reviewed: dt.date | None = Field(
        default=None,
        description="When the section was last reviewed (YYYY-MM-DD); older than the policy's "
        "maximum age makes it stale.",
    )
    not_applicable: str | None = Field(
        default=None,
        description="Declare the section not applicable to this service. The value is the written "
        "reason; `true` or an empty reason is rejected.",
    )

    not_applicable_parts: dict[str, str] = Field(
        default_factory=dict,
        description="Declare single keys of the section not applicable, each with its written "
        "reason, e.g. `billing: \"Internal service: nobody is billed.\"`.",
    )

    @field_validator("not_applicable_parts")
    @classmethod
    def _parts_are_keys_with_reasons(cls, value: dict[str, str]) -> dict[str, str]:
        keys = [f.alias or n for n, f in cls.model_fields.items() if n not in BOOKKEEPING]
        for key, reason in value.items():
            if key not in keys:
                raise ValueError(f"'{key}' is not a key of this section; keys that can be "
                                 f"declared not applicable: {', '.join(keys)}")
            if _visible_length(reason) < 10:
                raise ValueError(f"the reason for '{key}' must say why in at least 10 "
                                 "visible characters")
        return {k: v.strip() for k, v in value.items()}

    @field_validator("not_applicable", mode="before")
    @classmethod
    def _reason_required(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(
                "not_applicable needs a written reason, e.g. "
                "not_applicable: \"No personal data is stored: the service only relays ids\""
            )
        if _visible_length(value) < 10:
            raise ValueError(
                "not_applicable needs a written reason of at least 10 visible characters saying "
                "why the section does not apply"
            )
        return value.strip()


def _visible_length(text: str) -> int:
    """Characters of ``text`` a reader sees (zero-width and format characters, comments and
    character references of them do not count), 0 when nothing of it is more than punctuation."""
    seen = shown(text).strip()
    return len(seen) if has_visible(seen) else 0


class RefTo:
    """Marks a string field as a reference checked across the catalog by the validator.

    Kinds: ``team``; ``party`` (a team or a contact); ``service``; ``severity`` (an id of the
    organisation's severity scale).
    """

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"RefTo({self.kind!r})"


class DiagramKind:
    """Marks a string field as a diagram kind: ``opsready check`` reports one that cannot be
    drawn, with close matches (``kind_check``). Declared once, on the field's type."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DiagramKind()"


TeamRef = Annotated[Slug, RefTo("team"), Field(description="Id of a team in teams.yaml.")]
PartyRef = Annotated[
    Slug, RefTo("party"), Field(description="Id of a team or a contact in teams.yaml.")
]
ServiceRef = Annotated[Slug, RefTo("service"), Field(description="Id of a catalog service.")]
SeverityRef = Annotated[
    str, RefTo("severity"),
    Field(description="A severity id of the organisation's scale, e.g. SEV-2."),
]
