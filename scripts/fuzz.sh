#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, build-fuzz/) and runs each in turn for
# SECONDS (default 180) per target:
#   scripts/fuzz.sh [seconds-per-target] [target...]
# Each run starts from tests/fuzz/corpus/<target>/ plus seeds from the repository
# (tests/fuzz/seed_corpus.py) and afterwards merges what added coverage back into
# tests/fuzz/corpus/<target>/ (-merge=1). A crash, invariant failure, timeout or OOM is
# minimised into tests/fuzz/regressions/<target>/, which fuzz_regressions (a normal unit
# test) replays in every build: commit it together with the fix.
# Environment: FUZZ_RUNS=N stops a target after N executions instead of the time limit;
# FUZZ_JOBS=N builds with N jobs (default 2); FUZZ_TIMEOUT=S per-input limit (default 5;
# raise it on a loaded machine, where a starved process can pass 5 s on a tiny input).
# Logs: build-fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-180}"
shift || true
all_targets=(xml_request json_response json_reader route_match basic_auth config upstream_framing token_answer)
targets=("${all_targets[@]}")
if [ $# -gt 0 ]; then targets=("$@"); fi

deploy/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPCBRIDGE_FUZZ=ON -DPCBRIDGE_BUILD_TESTS=OFF -DPCBRIDGE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

dict_for() {
  case "$1" in
    xml_request) echo "-dict=tests/fuzz/xml.dict" ;;
    json_response|json_reader) echo "-dict=tests/fuzz/json.dict" ;;
  esac
}

work=build-fuzz/work
rm -rf "$work/seeds"
python3 tests/fuzz/seed_corpus.py "$work/seeds"
failed=()
for t in "${targets[@]}"; do
  bin="build-fuzz/fuzz/fuzz_$t"
  corpus="tests/fuzz/corpus/$t"
  live="$work/live/$t"
  artifacts="$work/artifacts/$t"
  mkdir -p "$corpus" "$live" "$artifacts" "tests/fuzz/regressions/$t" build-fuzz/logs
  limit=(-max_total_time="$seconds")
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
  echo "fuzz: $t (${limit[*]})"
  # Exit status 0: no finding. Anything else: a finding in $artifacts (handled below).
  set +e
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin" "${limit[@]}" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-5}" -max_len=65536 -print_final_stats=1 \
    $(dict_for "$t") -artifact_prefix="$artifacts/" "$live" "$corpus" "$work/seeds/$t" \
    >"build-fuzz/logs/$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^(Done|stat::number_of_executed_units|#[0-9]+ +DONE)' "build-fuzz/logs/$t.log" | tail -2 || true
  grep -E '^#[0-9]+' "build-fuzz/logs/$t.log" | tail -1 || true

  # Keep only inputs that add edges (not hit counts: -use_counters=0 keeps the repository's
  # corpus at a few hundred small files); the live corpus in build-fuzz/ keeps everything.
  merged="$work/merged/$t"
  rm -rf "$merged" && mkdir -p "$merged"
  "$bin" -merge=1 -use_counters=0 -rss_limit_mb=2048 -timeout=5 "$merged" "$corpus" "$live" "$work/seeds/$t" \
    >"build-fuzz/logs/$t.merge.log" 2>&1 && { rm -rf "$corpus"; mv "$merged" "$corpus"; }

  for a in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*; do
    [ -e "$a" ] || continue
    out="tests/fuzz/regressions/$t/$(basename "$a")"
    # Crashes are minimised; a timeout or OOM is kept as found (minimising re-runs it
    # in a child per attempt, for minutes). Check a timeout by hand: on a loaded machine
    # it can be a starved process, not slow code.
    case "$(basename "$a")" in
      crash-*) timeout 300 "$bin" -minimize_crash=1 -runs=5000 -timeout=5 -exact_artifact_path="$out" "$a" \
                 >"build-fuzz/logs/$t.minimize.log" 2>&1 || true ;;
    esac
    [ -e "$out" ] || cp "$a" "$out"
    echo "fuzz: $t: finding minimised into $out"
    rm -f "$a"
  done
  [ "$rc" -eq 0 ] || failed+=("$t")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (see build-fuzz/logs/, tests/fuzz/regressions/)"
  exit 1
fi
echo "fuzz: no findings in ${targets[*]}"
