#!/usr/bin/env bash
# Screenshots of every page at 1600x1000 and 1100x720 under a virtual X display.
# Needs Debian's xvfb (apt-get install xvfb) and planner installed in a virtual
# environment: the script uses .venv/bin/python when it exists, else $PYTHON, else python3.
# Usage: bash packaging/screenshots.sh [OUT_DIR]   (default packaging/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PYTHON:-}" ]; then
    python=$PYTHON
elif [ -x .venv/bin/python ]; then
    python=.venv/bin/python
else
    python=python3
fi
if ! "$python" -c "import planner, PySide6" 2>/dev/null; then
    echo "screenshots: $python cannot import planner and PySide6; set PYTHON to the venv's python" >&2
    exit 2
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
xvfb-run --auto-servernum --server-args="-screen 0 1700x1100x24" \
    "$python" packaging/screenshots.py "${1:-packaging/screenshots}"
