"""The markers of the fast target (``tests/auto_markers.py``): what a test's source says, and
which modules the ``-m`` expression lets pytest skip without importing them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import auto_markers
from auto_markers import can_select, certain_marks, static_marks

FAST = "not build and not browser and not slow"
TESTS = Path(__file__).parent


@pytest.mark.parametrize(("line", "marks"), [
    ("pytestmark = pytest.mark.build  # every test builds a site", {"build"}),
    ("pytestmark = [pytest.mark.build, pytest.mark.browser]", {"build", "browser"}),
    ("pytestmark = [pytest.mark.slow,]", {"slow"}),
    # anything but plain markers is left to pytest
    ("pytestmark = pytest.mark.skipif(CORPUS is None, reason='absent')", set()),
    ("pytestmark = [pytest.mark.slow, pytest.mark.skipif(X, reason='x')]", set()),
    ("    pytestmark = pytest.mark.slow", set()),
])
def test_static_marks_read_only_a_plain_module_level_line(tmp_path: Path, line: str,
                                                          marks: set[str]) -> None:
    module = tmp_path / "test_x.py"
    module.write_text(f"import pytest\n\n{line}\n\n\ndef test_x() -> None:\n    pass\n")
    assert static_marks(module) == marks


@pytest.mark.parametrize(("expression", "marks", "selectable"), [
    (FAST, {"build"}, False),
    (FAST, {"build", "browser"}, False),
    ("not slow", {"build"}, True),
    ("build", {"slow"}, True),  # a slow module's test may also build
    ("not build", {"build"}, False),
    ("slow and not build", {"build"}, False),
    ("hypothesis", {"slow"}, True),  # a name it does not know: never skipped
    ("not (", {"build"}, True),  # pytest reports the bad expression itself
])
def test_a_module_is_skipped_only_when_no_test_of_it_can_match(
        expression: str, marks: set[str], selectable: bool) -> None:
    assert can_select(expression, frozenset(marks)) is selectable


def _skipped(path: Path, expression: str = FAST) -> bool:
    per_test = certain_marks(path)
    return bool(per_test) and not any(can_select(expression, m) for m in per_test)


def test_the_modules_the_fast_target_skips_are_builds_browsers_or_slow() -> None:
    skipped = {p.name for p in TESTS.glob("test_*.py") if _skipped(p)}
    assert {"test_plugin_build.py", "test_a11y_browser.py", "test_golden.py",
            "test_alert_names_properties.py",
            # no pytestmark line: every test is property-based, or draws with Graphviz
            "test_guard_properties.py", "test_readiness_visible_properties.py",
            "test_diagrams_render.py"} <= skipped
    assert "test_pages_render.py" not in skipped and "test_auto_markers.py" not in skipped


MODULE = """\
import pytest
from hypothesis import given

@pytest.fixture
def site(tmp_path):
    return build_site(tmp_path, {})

@pytest.fixture
def svg():
    return _draw()

def _draw():
    return _really_draw()

def _really_draw():
    return render_svg(SPEC)

def test_pure():
    assert 1

def test_site(site):
    assert site

def test_svg(svg):
    assert svg

@pytest.mark.parametrize("svg", [b"<svg/>"])
def test_parameter_not_fixture(svg):
    assert svg

@pytest.mark.slow
def test_by_hand():
    pass

@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_one_slow_case(x):
    pass

@given(1)
def test_property(x):
    pass
"""


def test_certain_marks_read_each_test_its_fixtures_and_helpers(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"  # one name per text: sources are read once per file name
    module.write_text(MODULE, encoding="utf-8")
    assert certain_marks(module) == [frozenset(), {"build"}, {"slow"}, frozenset(), {"slow"},
                                     frozenset(), {"slow"}]
    assert not _skipped(module)
    unselected = tmp_path / "test_y.py"
    unselected.write_text(MODULE.replace("def test_pure():\n    assert 1\n", "")
                          .replace("def test_parameter_not_fixture", "def _parameter")
                          .replace("def test_one_slow_case", "def _one_slow_case"),
                          encoding="utf-8")
    assert _skipped(unselected)  # no test left that the fast target can select
    assert not _skipped(unselected, "not slow")  # test_site
    marked = tmp_path / "test_z.py"
    marked.write_text(MODULE.replace("pytest\n", "pytest\npytestmark = pytest.mark.build\n", 1),
                      encoding="utf-8")
    assert _skipped(marked) and _skipped(marked, "not build") and not _skipped(marked, "not slow")


@pytest.mark.parametrize("extra", ["class TestThings:\n    def test_a(self):\n        pass\n",
                                   "test_alias = test_pure\n",
                                   "from test_other import test_shared\n"])
def test_certain_marks_leave_other_ways_of_defining_tests_to_pytest(tmp_path: Path,
                                                                    extra: str) -> None:
    module = tmp_path / "test_x.py"
    module.write_text("def test_pure():\n    pass\n\n" + extra, encoding="utf-8")
    assert certain_marks(module) is None and not _skipped(module)


SAMPLE = TESTS / "fixtures" / "auto_markers" / "sample_tests.py"


def test_marks_follow_the_source_of_the_test() -> None:
    spec = importlib.util.spec_from_file_location("sample_tests", SAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sample_tests"] = module
    try:
        spec.loader.exec_module(module)

        def marks(name: str, session_site: bool = False) -> frozenset[str]:
            return auto_markers._marks(getattr(module, name), (), session_site)

        assert marks("test_pure") == frozenset()
        assert marks("test_pure", session_site=True) == {"build"}  # the example site fixture
        assert marks("test_through_a_helper") == {"build"}
        assert marks("test_property") == {"slow"}
        assert marks("test_needs_the_corpus") == {"slow"}
        assert marks("test_runs_a_process") == {"slow"}
        assert marks("test_draws_with_graphviz") == {"slow"}  # opsready runs dot
        assert marks("test_opens_chromium") == {"browser"}
        # a fixture's source counts like the test's own
        assert auto_markers._marks(module.test_pure, (module._build_it,), False) == {"build"}
    finally:
        del sys.modules["sample_tests"]


def test_skipping_modules_loses_no_test_of_the_fast_target() -> None:
    """The modules the fast target does not import hold no test it would select: the same tests
    are collected when an unknown marker name turns the skipping off."""
    import os
    import subprocess

    def collected(expression: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-m", expression, "-p", "no:xdist", "-p",
             "no:cacheprovider", "-q", "--collect-only", str(TESTS)],
            capture_output=True, text=True, check=False, cwd=TESTS.parent,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return sorted(line for line in done.stdout.splitlines() if "::" in line)

    fast = collected(FAST)
    assert len(fast) > 500
    assert fast == collected(f"({FAST}) or not_a_marker_name")
