"""One rebuild of ``mkdocs serve`` after editing one service's YAML, measured in its process.

Does what ``mkdocs serve`` does (``mkdocs/commands/serve.py``): loads the config, calls the
plugins' ``on_startup`` once (a plugin that defines it keeps its instance, and its in-memory
caches, across rebuilds), builds, then, for the rebuild, loads the config again and builds
again. Between the two builds one service's description is edited on disk. Only the second
build is measured; prints its figures as JSON on stdout:

    python bench/serve_edit.py MKDOCS_YML SERVICE_YAML

``wall`` is the rebuild's wall time, ``cpu`` the CPU time of this process plus that of worker
processes that ended during the rebuild, ``rss_mb`` the peak RSS of this process (both builds).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def edit_service(path: Path) -> None:
    """Change the description of the service in ``path`` (a YAML file), as an author would."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    description = data.get("description")
    if isinstance(description, dict) and "file" in description:  # prose kept beside the YAML
        prose = path.parent / description["file"]
        prose.write_text(prose.read_text(encoding="utf-8") + "\nEdited while serving.\n",
                         encoding="utf-8")
        return
    data["description"] = f"{description or ''} Edited while serving.".strip()
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(config_file: str, service_file: str) -> dict[str, float]:
    """Serve's first build, the edit, and the measured rebuild."""
    with tempfile.TemporaryDirectory(prefix="serve-edit-") as site_dir:
        def get_config():  # type: ignore[no-untyped-def]
            config = load_config(config_file=config_file, site_dir=site_dir)
            config.site_url = SERVE_URL
            return config

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config, serve_url=SERVE_URL)
            edit_service(Path(service_file))
            cpu, start = _cpu(), time.perf_counter()
            build(get_config(), serve_url=SERVE_URL)
            wall, cpu = time.perf_counter() - start, _cpu() - cpu
        finally:
            config.plugins.on_shutdown()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "rss_mb": rss}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
