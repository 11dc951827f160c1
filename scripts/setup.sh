#!/usr/bin/env bash
# Set up everything opsready needs on a fresh machine, idempotently:
#   - Graphviz (`dot`) through the system package manager when it is missing;
#   - with --test: Debian's chromium too (the end-to-end test drives it; no browser download),
#     and axe-core (the accessibility engine the browser tests load into pages) from the npm
#     registry into .venv/node, with Node.js and npm through apt-get when npm is missing;
#   - a virtual environment in .venv with opsready installed in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
# Pinned: a new axe-core release can add rules, so upgrading it is a deliberate change.
AXE_VERSION=4.11.0
if [ "${1:-}" = "--test" ]; then want_browser=1; fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); fi

install_system_packages() {
  # $@: Debian package names
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing $* with apt-get" >&2
    "${sudo_cmd[@]}" apt-get update -qq
    # A font, or Graphviz and Chromium lay text out with no glyphs on a minimal image.
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      "$@" fonts-dejavu-core >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    echo "setup: installing graphviz with Homebrew (install Chromium yourself for the browser test)" >&2
    brew install graphviz
  elif command -v dnf >/dev/null 2>&1; then
    "${sudo_cmd[@]}" dnf install -y graphviz
  else
    echo "setup: cannot install $*: no apt-get, brew or dnf. Install Graphviz by hand (https://graphviz.org/download/)." >&2
    exit 1
  fi
}

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: missing: ${missing[*]}" >&2
  install_system_packages "${missing[@]}"
fi

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  install_system_packages python3 python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # Debian and Ubuntu ship venv/ensurepip separately.
    rm -rf .venv
    install_system_packages python3-venv
    "$PY" -m venv .venv
  fi
fi
extras=""
if [ "$want_browser" = 1 ]; then extras="[test]"; fi
# Reinstall only when pyproject.toml changed since the last install.
stamp=.venv/.opsready-installed
if [ "$want_browser" = 1 ]; then stamp=.venv/.opsready-installed-test; fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing opsready${extras} into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi
if [ "$want_browser" = 1 ]; then
  axe_dir=.venv/node
  if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$axe_dir/node_modules/axe-core/package.json"; then
    if ! command -v npm >/dev/null 2>&1; then
      if command -v apt-get >/dev/null 2>&1; then
        install_system_packages nodejs npm
      elif command -v brew >/dev/null 2>&1; then
        brew install node
      else
        echo "setup: the accessibility tests need npm (Node.js) to install axe-core: install Node.js and run this again." >&2
        exit 1
      fi
    fi
    echo "setup: installing axe-core $AXE_VERSION into $axe_dir" >&2
    npm install --prefix "$axe_dir" --no-audit --no-fund --loglevel=error \
      "axe-core@$AXE_VERSION" >/dev/null
  fi
fi
echo "setup: ready (dot: $(dot -V 2>&1 | head -1))" >&2
