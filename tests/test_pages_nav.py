"""Navigation planning and merging on plain stand-ins for MkDocs items (no build)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsready.pages import nav
from opsready.pages.handwritten import declares_override, find_clashes, split_hand_written, title_of
from opsready.pages.plan import PlannedPage


@dataclass
class F:
    src_uri: str


@dataclass(eq=False)
class P:
    """A page stand-in."""

    src: str
    is_page: bool = True
    is_section: bool = False
    parent: Any = None
    previous_page: Any = None
    next_page: Any = None

    @property
    def file(self) -> F:
        return F(self.src)


@dataclass(eq=False)
class S:
    """A section stand-in."""

    title: str
    children: list[Any] = field(default_factory=list)
    is_page: bool = False
    is_section: bool = True
    parent: Any = None
    active: bool = False


def titles(items: list[Any]) -> list[Any]:
    return [(i.title, titles(i.children)) if i.is_section else i.src for i in items]


def test_service_sections_put_documents_then_alerts_then_team_pages() -> None:
    plan = [
        PlannedPage("services/index.md", "t", "Services", "Services", "services-index"),
        PlannedPage("services/b/index.md", "t", "B: Overview", "Overview", "document", "b",
                    "overview"),
        PlannedPage("services/b/runbook.md", "t", "B: NOC runbook", "NOC runbook", "document",
                    "b", "runbook"),
        PlannedPage("runbooks/b/Down.md", "t", "Down", "Down", "alert", "b", "runbook", "Down"),
        PlannedPage("services/a/index.md", "t", "A: Overview", "Overview", "document", "a",
                    "overview"),
    ]
    sections = nav.service_sections(plan, {"a": "Alpha", "b": "Beta"},
                                    {"b": ["services/b/notes.md"]})
    assert [s.title for s in sections] == ["Alpha", "Beta"]
    beta = sections[1]
    assert [getattr(c, "src_path", getattr(c, "title", None)) for c in beta.children] == [
        "services/b/index.md", "services/b/runbook.md", "Alerts", "services/b/notes.md"]
    assert beta.children[1].title == "NOC runbook" and beta.children[3].title is None
    excluded = nav.service_sections(plan, {"a": "Alpha", "b": "Beta"}, {},
                                    exclude={"services/a/index.md"})
    assert [s.title for s in excluded] == ["Beta"]


def test_place_replaces_the_folder_section_of_the_automatic_nav() -> None:
    index = P("services/index.md")
    auto = [P("index.md"),
            S("Services", [index, S("A", [P("services/a/index.md")])]),
            S("Guide", [P("guide/x.md")])]
    ours = S("Services", [index, S("Alpha")])
    placed = nav.place(auto, {"services/a/index.md"}, {"services/index.md": ours})
    assert placed[1] is ours
    assert titles(placed) == ["index.md", ("Services", ["services/index.md", ("Alpha", [])]),
                              ("Guide", ["guide/x.md"])]


def test_place_appends_anchors_a_nav_does_not_list_and_drops_emptied_sections() -> None:
    items = [P("index.md"), S("Old", [P("services/a/runbook.md")])]
    ours = S("Services")
    placed = nav.place(items, {"services/a/runbook.md"}, {"services/index.md": ours})
    assert placed == [items[0], ours]


def test_place_keeps_a_user_section_holding_other_pages() -> None:
    index = P("services/index.md")
    user = S("Operations", [P("oncall.md"), index, P("faq.md")])
    ours = S("Services", [index])
    placed = nav.place([user], set(), {"services/index.md": ours})
    assert placed == [user] and user.children[1] is ours


def test_link_tree_sets_parents_and_neighbours() -> None:
    a, b, c = P("a.md"), P("b.md"), P("c.md")
    sec = S("S", [b, S("T", [c])])
    pages = nav.link_tree([a, sec])
    assert pages == [a, b, c]
    assert b.parent is sec and c.parent.parent is sec and a.parent is None
    assert (a.previous_page, a.next_page, c.next_page) == (None, b, None)
    assert c.previous_page is b


def test_trim_view_clones_only_the_path_to_the_section() -> None:
    index, mine = P("services/index.md"), S("Mine", [P("services/m/index.md")])
    others = [S(f"Other {i}") for i in range(3)]
    services = S("Services", [index, mine, *others])
    top = S("Catalog", [P("intro.md"), services])
    home = P("index.md")
    items = [home, top]
    nav.link_tree(items)
    page = mine.children[0]

    def clone(original: S, children: list[Any]) -> S:
        return S(original.title, children)

    own = nav.child_towards(services, page)
    assert own is mine
    view = nav.trim_view(items, services, [index, own], clone)
    assert view[0] is home and view[1] is not top
    assert view[1].children[0] is top.children[0]  # untouched siblings are shared
    trimmed = view[1].children[1]
    assert trimmed.children == [index, mine]
    assert services.children == [index, mine, *others]  # the real navigation is unchanged
    assert nav.child_towards(services, P("elsewhere.md")) is None


def test_split_hand_written_pages_by_service() -> None:
    found, unknown = split_hand_written(
        ["services/index.md", "services/a/notes.md", "services/a/sub/deep.md",
         "services/zz/x.md", "guide/a.md", "services/a/img.png"], "services", ["a"])
    assert found == {"a": ["services/a/notes.md", "services/a/sub/deep.md"]}
    assert unknown == ["services/zz/x.md"]
    found, _ = split_hand_written(["ops/services/a/n.md", "services/a/n.md"], "ops/services",
                                  ["a"])
    assert found == {"a": ["ops/services/a/n.md"]}


def test_title_of_follows_mkdocs_order() -> None:
    assert title_of("---\ntitle: 'From meta'\n---\n# Heading\n", "x.md") == "From meta"
    assert title_of("---\nother: 1\n---\n\nText\n\n# Heading #\n", "x.md") == "Heading"
    assert title_of("no heading", "services/a/game-day_notes.md") == "Game day notes"


def test_clashes_and_deliberate_overrides() -> None:
    generated = {"services/a/runbook.md": "/c/a.yaml", "services/a/index.md": "/c/a.yaml"}
    hand = {"services/a/runbook.md": "---\nopsready_replaces_generated: true\n---\n# R\n",
            "services/a/index.md": "# Mine\n", "services/a/notes.md": "# N\n"}
    clashes = find_clashes(generated, hand, hand_written_wins=True)
    assert [(c.src_path, c.deliberate) for c in clashes] == [
        ("services/a/index.md", False), ("services/a/runbook.md", True)]
    message = clashes[0].message("docs")
    assert "docs/services/a/index.md" in message and "/c/a.yaml" in message
    assert not declares_override("# no front matter\nopsready_replaces_generated: true\n")
    lost = find_clashes(generated, hand, hand_written_wins=False)
    assert all(not c.deliberate for c in lost)
    assert "is not published" in lost[0].message("docs")
