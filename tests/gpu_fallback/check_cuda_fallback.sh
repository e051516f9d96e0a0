#!/usr/bin/env bash
# Reproduce ONNX Runtime's silent CPU fallback for real, and check planner catches it.
#
# Builds a throwaway venv with planner and onnxruntime-gpu (about 255 MB download) in
# place of onnxruntime, then profiles the bundled MLP with --provider CUDAExecutionProvider.
#
# * Without the CUDA libraries (any machine without an NVIDIA CUDA install):
#   onnxruntime-gpu still lists CUDAExecutionProvider as available and, left alone, would
#   run the session on CPU. The check passes when planner stores a FAILED run of kind
#   "provider" whose reason names the CUDA library that did not load.
# * With CUDA present (a GPU machine): the check passes when the run completes on CUDA
#   with energy from NVML.
#
# Usage: tests/gpu_fallback/check_cuda_fallback.sh [ORT_GPU_VERSION]   (default 1.31.1)
# Environment: PYTHON (default python3, 3.11+), KEEP_VENV=1 keeps the venv for inspection.
set -euo pipefail

version="${1:-1.31.1}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d -t planner-cuda-fallback-XXXXXX)"
[[ "${KEEP_VENV:-0}" == 1 ]] || trap 'rm -rf "$work"' EXIT
venv="$work/venv"

echo "== venv with planner and onnxruntime-gpu==$version in $venv"
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/pip" install -qq -e "$repo"
"$venv/bin/pip" uninstall -qq -y onnxruntime
"$venv/bin/pip" install -qq "onnxruntime-gpu==$version"

echo "== what onnxruntime-gpu claims"
"$venv/bin/python" - <<'PY'
import onnxruntime
from planner.hardware.providers import provider_load_error
print("onnxruntime", onnxruntime.__version__)
print("get_available_providers():", onnxruntime.get_available_providers())
print("CUDA library load:", provider_load_error("CUDAExecutionProvider") or "loads")
PY

mlp="$("$venv/bin/python" -c 'from planner.models.samples import bundled_sample_paths as b; print(next(p for p in b() if p.name == "mlp.onnx"))')"
echo "== planner profile $mlp --provider CUDAExecutionProvider"
set +e
"$venv/bin/planner" --db "$work/p.db" profile "$mlp" --provider CUDAExecutionProvider \
    --budget 5s --point-cap 1s --json > "$work/run.json" 2> "$work/stderr.txt"
status=$?
set -e
echo "exit status $status"
grep -v '^\s*$' "$work/stderr.txt" | tr '\r' '\n' | grep -v '%' | tail -n 5 || true

"$venv/bin/python" - "$work/run.json" <<'PY'
import json
import sys

from planner.hardware.providers import provider_load_error

run = json.load(open(sys.argv[1]))["run"]
print("run status:", run["status"], "| kind:", run["failure_kind"])
print("reason:", run["failure_reason"])
print("nodes per provider:", run["provider_nodes"])
missing = provider_load_error("CUDAExecutionProvider")
if missing:
    assert run["status"] == "failed", "a CUDA run without CUDA libraries must fail"
    assert run["failure_kind"] == "provider", run["failure_kind"]
    library = missing.split(":")[0]
    assert library in run["failure_reason"], f"reason does not name {library}"
    print(f"PASS: silent CPU fallback caught; the reason names {library}")
else:
    assert run["status"] == "completed", run["failure_reason"]
    assert run["provider_nodes"].get("CUDAExecutionProvider", 0) > 0
    print("PASS: CUDA loads here and the run completed on it")
PY
