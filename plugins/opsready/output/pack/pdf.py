"""The PDF of a pack, printed by headless Chromium from the pack's own HTML file (no PDF writer
of ours): the same content, the margin stamp and page numbers from the document's ``@page``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 300
"""Seconds one print may take (the whole fleet of a large site is a long document)."""


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary: ``OPSREADY_CHROMIUM``, else the first on the PATH."""
    configured = os.environ.get("OPSREADY_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def print_pdf(browser: str, source: Path, target: Path) -> None:
    """Print ``source`` (an HTML file) to ``target`` with headless ``browser``; raises
    ``RuntimeError`` with Chromium's last words when no PDF came out."""
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="opsready-pdf-") as profile:
        args = [browser, "--headless", "--disable-gpu", "--no-pdf-header-footer",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--no-first-run",
                "--disable-default-apps", "--generate-pdf-document-outline",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={target}", source.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"{browser}: {exc}") from None
    if not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
        last = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{browser} printed no PDF (exit {done.returncode}): "
                           + " | ".join(last))
