#!/usr/bin/env bash
# Smoke test of existing builds: the site kit as a consultant runs it on a customer's
# server, the bundle round trip into planner, and (unless --assess-only) the desktop build.
#
#   packaging/smoke.sh [--assess-only] [--planner PATH]
#
# --planner names the installed planner command that imports the kit's bundle (default:
# build/kit-venv/bin/planner, else planner on PATH). KIT and APP override the builds under
# test (default dist/planner-assess and dist/planner/planner). The kit is copied into a
# fresh folder and run with an empty environment (env -i, PATH=/usr/bin:/bin, no venv),
# a read-only HOME and its own TMPDIR; as root it runs as the user nobody. Afterwards the
# HOME and TMPDIR must be empty and the output folder must hold only the bundle.
# Ends with "smoke: N passed, N failed"; exits 1 at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

assess_only=0
planner_cmd=""
while (($#)); do
    case "$1" in
        --assess-only) assess_only=1 ;;
        --planner) planner_cmd="$2"; shift ;;
        -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "smoke.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
kit_build=${KIT:-dist/planner-assess}
app=${APP:-dist/planner/planner}
if [[ -z "$planner_cmd" ]]; then
    planner_cmd=build/kit-venv/bin/planner
    [[ -x "$planner_cmd" ]] || planner_cmd=$(command -v planner || true)
fi
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
[[ -x "$planner_cmd" ]] && planner_cmd=$(absolute "$planner_cmd")
python="$(dirname "$planner_cmd")/python"

passed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() {
    echo "FAIL $1" >&2
    echo "smoke: $passed passed, 1 failed" >&2
    exit 1
}
[[ -x "$kit_build" ]] || fail "no site kit at $kit_build (run packaging/build.sh)"
[[ -x "$planner_cmd" && -x "$python" ]] || fail "no installed planner at '$planner_cmd' (--planner)"
if ! ((assess_only)); then
    [[ -x "$app" ]] || fail "no desktop build at $app (run packaging/build.sh, or --assess-only)"
    app=$(absolute "$app")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir "$work/usb" "$work/home" "$work/tmp" "$work/out"
cp "$kit_build" "$work/usb/planner-assess"
chmod 755 "$work/usb/planner-assess"
chmod 555 "$work/home"
as_user=()
if (($(id -u) == 0)); then
    chown 65534:65534 "$work/tmp" "$work/out"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
kit=$work/usb/planner-assess
bundle=$work/out/site.bundle

on_server() { # run the kit as on a customer's server: no environment, a read-only home
    (cd "$work/out" && "${as_user[@]}" env -i HOME="$work/home" PATH=/usr/bin:/bin \
        TMPDIR="$work/tmp" "$kit" "$@")
}
json_field() { "$python" -c "import json, sys; print(json.load(sys.stdin)$1)"; }
import_counts() { # import_counts DB COMMAND: import the bundle; sets runs and points
    local line
    line=$("$2" --db "$1" import "$bundle") || fail "$2 import exited with an error"
    echo "     $line"
    [[ "$line" =~ ([0-9]+)\ runs?,\ ([0-9]+)\ points? ]] || fail "import said: $line"
    runs=${BASH_REMATCH[1]} points=${BASH_REMATCH[2]}
}
bundle_runs() { # each run of the bundle with its number of points, sorted by id
    "$python" - "$bundle" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = conn.execute(
    "SELECT r.id, COUNT(p.run_id) FROM runs r LEFT JOIN points p ON p.run_id = r.id "
    "GROUP BY r.id ORDER BY r.id"
).fetchall()
print(" ".join(f"{run}:{points}" for run, points in rows))
PY
}
stored_runs() { # stored_runs DB COMMAND: the same for a database, read through planner itself
    "$2" --db "$1" runs --json | "$python" -c "import json, sys
runs = sorted(json.load(sys.stdin), key=lambda r: r['id'])
print(' '.join(f\"{r['id']}:{r['point_count']}\" for r in runs))"
}
round_trip() { # round_trip NAME COMMAND: import twice; the second import must add nothing
    local db=$work/$1.db before
    import_counts "$db" "$2"
    ((runs > 0 && points > 0)) || fail "$1: the import added $runs runs, $points points"
    [[ "$(stored_runs "$db" "$2")" == "$(bundle_runs)" ]] ||
        fail "$1: the runs and points stored differ from the bundle's"
    before=$("$2" --db "$db" db info --json | json_field '["row_counts"]')
    "$2" --db "$db" import "$bundle" | grep -q "already imported, nothing added" ||
        fail "$1: a second import was not recognised"
    [[ "$("$2" --db "$db" db info --json | json_field '["row_counts"]')" == "$before" ]] ||
        fail "$1: a second import changed the database"
    pass "$1 imports the bundle ($runs runs, $points points, every run id and point count as in the bundle) and a second import adds nothing"
}

version=$(on_server --version) || fail "planner-assess --version exited $?"
[[ "$version" =~ ^planner-assess\ ([0-9.]+)\ \(bundle\ format\ [0-9]+\)$ ]] ||
    fail "planner-assess --version said: $version"
kit_version=${BASH_REMATCH[1]}
pass "planner-assess --version: $version"

on_server hardware --json >"$work/hardware.json" || fail "planner-assess hardware --json exited $?"
providers=$(json_field '["providers"]' <"$work/hardware.json") || fail "hardware --json is not JSON"
[[ "$providers" == *CPUExecutionProvider* ]] || fail "hardware --json lists no CPU provider"
pass "planner-assess hardware --json parses (providers $providers)"

started=$(date +%s.%N)
on_server --out "$bundle" --budget 10s --site smoke --notes "packaging smoke" >"$work/assess.log" 2>&1 ||
    { cat "$work/assess.log"; fail "planner-assess --out exited with an error"; }
assess_s=$("$python" -c "import time; print(f'{time.time() - $started:.1f}')")
grep "^Wrote" "$work/assess.log"
pass "a 10 s assessment wrote the bundle in $assess_s s"

checksum=$(sha256sum "$bundle")
if on_server --out "$bundle" --budget 10s 2>"$work/refused.err"; then
    fail "planner-assess overwrote an existing bundle without --force"
fi
grep -q "already exists" "$work/refused.err" || fail "refusal said: $(cat "$work/refused.err")"
[[ "$(sha256sum "$bundle")" == "$checksum" ]] || fail "the refused run changed the bundle"
pass "an existing bundle is kept without --force: $(cat "$work/refused.err")"

left=$(find "$work/home" "$work/tmp" -mindepth 1; find "$work/out" -mindepth 1 ! -path "$bundle")
[[ -z "$left" ]] || fail "the kit left files behind: $left"
pass "nothing written outside the bundle (HOME and TMPDIR empty, extraction folder removed)"

decoder_bundle=$work/decoder/site.bundle
mkdir "$work/decoder"
(($(id -u) == 0)) && chown 65534:65534 "$work/decoder"
on_server --out "$decoder_bundle" --model tiny_decoder --budget 6s >"$work/decoder.log" 2>&1 ||
    { tail -5 "$work/decoder.log"; fail "planner-assess --model tiny_decoder exited with an error"; }
grep -q "tiny_decoder: completed" "$work/decoder.log" && grep -q "output tokens/s" "$work/decoder.log" ||
    { tail -5 "$work/decoder.log"; fail "the kit did not profile its bundled decoder"; }
pass "the kit profiles its bundled generative decoder (--model tiny_decoder) in tokens"

round_trip installed "$planner_cmd"

if ! ((assess_only)); then
    [[ "$("$app" --version)" == "planner $kit_version" ]] || fail "the app's --version differs"
    pass "frozen app --version: planner $kit_version"
    "$app" --db "$work/app.db" db info --json | json_field '["row_counts"]["models"]' >/dev/null ||
        fail "frozen app db info failed"
    pass "frozen app db info (headless) on a new database"
    round_trip frozen-app "$app"
    sample="$(dirname "$app")/_internal/planner/resources/models/mlp.onnx"
    "$app" --db "$work/app.db" profile "$sample" --budget 3s >"$work/profile.log" 2>&1 ||
        { tail -5 "$work/profile.log"; fail "frozen app could not profile a bundled sample"; }
    pass "frozen app profiles a bundled sample in its worker process"
    decoder="$(dirname "$app")/_internal/planner/resources/models/tiny_decoder"
    "$app" --db "$work/app.db" profile "$decoder" --budget 4s >"$work/profile-decoder.log" 2>&1 ||
        { tail -5 "$work/profile-decoder.log"; fail "frozen app could not profile the bundled decoder"; }
    grep -q "TTFT p50" "$work/profile-decoder.log" ||
        { tail -5 "$work/profile-decoder.log"; fail "frozen app's decoder profile shows no TTFT"; }
    pass "frozen app profiles the bundled generative decoder (TTFT and TPOT)"
    cp "$sample" "$work/mlp.onnx"
    "$app" --db "$work/app.db" variants "$work/mlp.onnx" --kinds int8-dynamic,int8-static,fp16 --no-profile \
        --json >"$work/variants.log" 2>&1 || { tail -5 "$work/variants.log"; fail "frozen app could not make variants"; }
    ls "$work"/variants/mlp/mlp.{int8-dynamic,int8-static,fp16}.onnx >/dev/null 2>&1 ||
        { tail -5 "$work/variants.log"; fail "frozen app wrote no variant files"; }
    if grep -q "pre-processing failed" "$work/variants.log"; then
        fail "frozen app quantized without onnxruntime's pre-processing (tooling left out?)"
    fi
    pass "frozen app makes int8-dynamic, int8-static and fp16 variants of a sample in its child process"
    if env -i HOME="$work/home" PATH=/usr/bin:/bin "$app" 2>"$work/nodisplay.err"; then
        fail "the frozen app without a display did not stop"
    fi
    grep -q "needs a display" "$work/nodisplay.err" || fail "no-display said: $(head -3 "$work/nodisplay.err")"
    pass "frozen app without a display prints the CLI guide"
    status=0
    QT_QPA_PLATFORM=offscreen timeout 10 "$app" --db "$work/app.db" >/dev/null 2>&1 || status=$?
    ((status == 124)) || fail "the frozen GUI (offscreen) ended with $status before 10 s"
    pass "frozen GUI starts and keeps running offscreen"
fi

echo "== cold start, median of 5 (--version)"
mkdir "$work/timing"
"$python" - "$kit" "$python" "$work/timing" <<'PY'
import statistics, subprocess, sys, time

kit, python, folder = sys.argv[1:]
clean = {"HOME": folder, "PATH": "/usr/bin:/bin", "TMPDIR": folder}
for label, argv in (("planner-assess --version", [kit, "--version"]),
                    ("python -m planner --version", [python, "-m", "planner", "--version"])):
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(argv, env=clean, cwd=folder, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    print(f"{label}: {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
PY
echo "smoke: $passed passed, 0 failed"
