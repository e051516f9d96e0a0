#!/usr/bin/env bash
# Build the site kit (dist/planner-assess, one file, no Qt) and the desktop app
# (dist/planner/, one folder) with PyInstaller in a fresh build venv, record their sizes
# and build times in dist/sizes.txt, then run packaging/smoke.sh against them.
#
#   packaging/build.sh                 build both, then the full smoke
#   packaging/build.sh --assess-only   build and smoke the site kit only (what CI runs)
#   packaging/build.sh --smoke-only    no build: smoke the builds already in dist/
#
# Environment: PYTHON, the interpreter for the build venv (default python3; 3.11 or newer,
# built with a shared libpython as distribution and pyenv builds are); ORT_PACKAGE, an
# ONNX Runtime to freeze in place of the CPU one (e.g. onnxruntime-gpu==1.31.1);
# KIT_BUDGET_MB, the kit's size limit (default 150). A kit runs on machines whose glibc is
# at least the build machine's: build on the oldest distribution you support
# (packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3
KIT_BUDGET_BYTES=$((${KIT_BUDGET_MB:-150} * 1000000))
QT_PACKAGES=PySide6,shiboken6,pyqtgraph,planner.gui,planner.reports.pdf_report
venv=build/kit-venv
assess_only=0
smoke_only=0
for arg in "$@"; do
    case "$arg" in
        --assess-only) assess_only=1 ;;
        --smoke-only) smoke_only=1 ;;
        -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done
smoke_args=(--planner "$venv/bin/planner")
if ((assess_only)); then smoke_args+=(--assess-only); fi

seconds_since() { echo $(($(date +%s) - $1)); }

make_venv() {
    echo "== build venv ($venv, PyInstaller $PYINSTALLER_VERSION)"
    local started
    started=$(date +%s)
    # setuptools builds in build/lib and reuses what it finds there: start clean.
    rm -rf "$venv" build/lib build/bdist.* build/pyinstaller
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install -qq --disable-pip-version-check \
        . "pyinstaller==$PYINSTALLER_VERSION"
    if [[ -n "${ORT_PACKAGE:-}" ]]; then
        "$venv/bin/python" -m pip uninstall -qq -y onnxruntime
        "$venv/bin/python" -m pip install -qq --disable-pip-version-check "$ORT_PACKAGE"
    fi
    venv_s=$(seconds_since "$started")
}

freeze() { # freeze SPEC: run PyInstaller on one spec; prints the seconds it took
    local started
    started=$(date +%s)
    "$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller "packaging/$1" >"build/$1.log" 2>&1 ||
        { tail -30 "build/$1.log" >&2; echo "build.sh: PyInstaller failed on $1" >&2; exit 1; }
    seconds_since "$started"
}

record_sizes() {
    local kit_bytes app_line
    kit_bytes=$(stat -c %s dist/planner-assess)
    {
        echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m), $(ldd --version | head -1)"
        echo "python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), PyInstaller $PYINSTALLER_VERSION, ${ORT_PACKAGE:-onnxruntime (CPU)}"
        echo "build venv: ${venv_s} s; planner-assess: ${kit_s} s${app_s:+; planner (app): ${app_s} s}"
        echo "planner-assess: $kit_bytes bytes ($((kit_bytes / 1000000)) MB; budget $((KIT_BUDGET_BYTES / 1000000)) MB)"
        if [[ -d dist/planner ]] && ! ((assess_only)); then
            app_line=$(du -sb dist/planner | cut -f1)
            echo "planner (app folder): $app_line bytes ($((app_line / 1000000)) MB, $(find dist/planner -type f | wc -l) files)"
        fi
        "$venv/bin/python" packaging/kit_report.py dist/planner-assess --forbid "$QT_PACKAGES"
    } | tee dist/sizes.txt
    if ((kit_bytes > KIT_BUDGET_BYTES)); then
        echo "build.sh: planner-assess is over its size budget" >&2
        exit 1
    fi
}

if ! ((smoke_only)); then
    make_venv
    mkdir -p dist build
    echo "== freeze the site kit (one file)"
    kit_s=$(freeze planner-assess.spec)
    app_s=""
    if ! ((assess_only)); then
        echo "== freeze the desktop app (one folder)"
        app_s=$(freeze planner-app.spec)
    fi
    echo "== sizes"
    record_sizes
fi
echo "== smoke"
packaging/smoke.sh "${smoke_args[@]}"
