#!/usr/bin/env bash
# Screenshots of every page under a virtual X display (Debian: apt-get install xvfb).
# Usage: bash packaging/screenshots.sh [OUT_DIR]   (default packaging/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
    "$python" packaging/screenshots.py "${1:-packaging/screenshots}"
