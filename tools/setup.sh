#!/bin/sh
# Install what Banmian needs on a Debian machine: system packages (fonts, the
# libraries Qt needs, PDF tools), then a virtual environment with the Python
# packages.  Usage: tools/setup.sh [--test]
set -eu
cd "$(dirname "$0")/.."

APT_PACKAGES="fonts-noto-cjk fonts-lxgw-wenkai fonts-liberation2 poppler-utils ghostscript qpdf icc-profiles-free chromium chromium-driver
 libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth postgresql"

if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "installing system packages:$missing"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
else
  echo "note: not a Debian system; install Noto CJK and LXGW WenKai fonts and poppler-utils yourself" >&2
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
# The project is installed in place.  setuptools' default editable install adds an
# import hook whose own imports (pathlib, urllib, ipaddress …) cost every Python
# start about 20 ms; "compat" mode puts the project's folder on sys.path with a
# plain .pth instead.  Should a later setuptools drop that mode, the default is used.
target=.
[ "${1:-}" = "--test" ] && target=".[test]"
.venv/bin/python -m pip install -q -e "$target" --config-settings editable_mode=compat 2>/dev/null ||
  .venv/bin/python -m pip install -q -e "$target"
