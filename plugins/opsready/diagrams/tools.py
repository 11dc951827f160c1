"""The external tools the diagram engine depends on: Graphviz and the `diagrams` library."""

from __future__ import annotations

import functools
import shutil
import subprocess

INSTALL_HINT = (
    "Install Graphviz and make sure `dot` is on PATH: "
    "`apt-get install graphviz` (Debian/Ubuntu), "
    "`dnf install graphviz` (Fedora/RHEL), "
    "`brew install graphviz` (macOS); then check with `dot -V`."
)


class GraphvizMissing(RuntimeError):
    """Graphviz's `dot` program cannot be run; diagrams cannot be drawn."""

    def __init__(self, detail: str = "") -> None:
        message = "Graphviz (`dot`) is needed to draw diagrams but was not found."
        if detail:
            message += f" ({detail})"
        super().__init__(f"{message} {INSTALL_HINT}")


def dot_executable() -> str | None:
    """Return the path of Graphviz's `dot` on PATH, or None."""
    return shutil.which("dot")


def graphviz_available() -> bool:
    """Tell whether Graphviz's `dot` is on PATH and answers `dot -V`."""
    try:
        graphviz_version()
    except GraphvizMissing:
        return False
    return True


@functools.lru_cache(maxsize=1)
def graphviz_version() -> str:
    """Return the first line of `dot -V` (cached: it costs a subprocess).

    Raises GraphvizMissing when `dot` is absent or does not run.
    """
    dot = dot_executable()
    if dot is None:
        raise GraphvizMissing("`dot` is not on PATH")
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GraphvizMissing(f"`dot -V` failed: {exc}") from exc
    # `dot -V` prints on stderr.
    text = (done.stderr or done.stdout).strip()
    if done.returncode != 0 or not text:
        raise GraphvizMissing(f"`dot -V` exited with {done.returncode}")
    return text.splitlines()[0]


@functools.lru_cache(maxsize=1)
def diagrams_version() -> str:
    """Return the installed version of the `diagrams` library (without importing it)."""
    from importlib import metadata  # ~20 ms: only when a hash is needed

    return metadata.version("diagrams")
