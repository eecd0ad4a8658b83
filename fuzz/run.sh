#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/CMakeLists.txt, clang++-14, ASan + UBSan) into build/fuzz/
# and runs each for FUZZ_SECONDS (default 60), one at a time, printing its executions and result.
# FUZZ_TARGETS picks some ("npy png"); FUZZ_JOBS sets build parallelism (default 2).
# Seeds come from fuzz/corpus/<name>/ (read-only); what the fuzzer adds goes to
# build/fuzz/corpus/<name>/, crash inputs to build/fuzz/artifacts/<name>/.
# Exit status: 0 when every harness ran clean, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/fuzz"
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"npy wav png idx mnist_json params"}
cxx=${FUZZ_CXX:-clang++-14}

command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (make fuzz installs it: bash scripts/install-deps.sh --fuzz)" >&2; exit 1; }
cmake -S "$root/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}"

max_len() {
  case $1 in
    params) echo 128 ;;
    idx) echo 2048 ;;
    mnist_json) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

status=0
summary=()
for t in $targets; do
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  log="$build/fuzz_$t.log"
  mkdir -p "$work" "$artifacts"
  echo "== fuzz_$t: ${seconds}s, -max_len=$(max_len "$t")"
  rc=0
  # UBSan reports abort (so libFuzzer saves the input); leaks are reported too.
  UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
    "$build/fuzz_$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=20 \
      -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $rc -eq 0 ]]; then
    result=clean
  else
    result="FAILED (exit $rc; see $log and $artifacts/)"
    status=1
    grep -E "ERROR: |runtime error|terminate called|what\(\)" "$log" | head -5 || true
  fi
  line=$(printf '%-12s %12s executions  %s' "$t" "${execs:-?}" "$result")
  echo "$line"
  summary+=("$line")
done

echo "== summary (${seconds}s each)"
printf '%s\n' "${summary[@]}"
exit $status
