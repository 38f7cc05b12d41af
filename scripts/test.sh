#!/usr/bin/env bash
# Runs the whole test suite twice: installs missing Debian packages, then
#  1. builds everything (Ninja, build/) and runs unit, golden, fuzz-regression, .NET-client and
#     end-to-end tests with CTest;
#  1b. builds the Debian package from a Release build (build-release/) and checks its contents
#     without installing it (scripts/package-test.sh); PACKAGE=0 skips it;
#  2. builds what the tests need with AddressSanitizer + UndefinedBehaviorSanitizer
#     (build-sanitize/, no benchmarks) and runs the same tests there; the e2e and .NET tests
#     start the sanitized pcbridge and simulator. Any failure or sanitizer report fails the run.
# Arguments go to the first ctest run (e.g. -R unit_). SANITIZE=0 skips stage 2.
#
# Compile time is CI's budget (2 cores, a cold build, both stages): full debug info (-g) doubled
# the cost of the coroutine-heavy I/O files (upstream_client.cpp: 136 s CPU at -O2 -g, 71 s at
# -O2 -g1), so both stages keep line tables only (-g1: backtraces and sanitizer reports still
# name file and line). The sanitized stage compiles at -O1 (the usual ASan setting) and without
# NDEBUG, so assertions run there too.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
jobs="$(nproc)"
started=$(date +%s)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build -j"$jobs"
echo "test.sh: build took $(( $(date +%s) - started ))s"
ctest --test-dir build --output-on-failure "$@"
echo "test.sh: stage 1 took $(( $(date +%s) - started ))s"

if [ "${PACKAGE:-1}" != 0 ]; then
  start=$(date +%s)
  scripts/package-test.sh
  echo "test.sh: package stage took $(( $(date +%s) - start ))s"
fi

if [ "${SANITIZE:-1}" != 0 ]; then
  start=$(date +%s)
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPCBRIDGE_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DPCBRIDGE_BUILD_BENCHMARKS=OFF >/dev/null
  # halt_on_error: the first report ends the process with a failure status; the e2e harness
  # also fails a test when a child's output holds a report (tests/e2e/process.cpp).
  export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # 2a. The pure code first (translators, config, simulator core, fuzz regressions): quick to
  # build, so a translator's memory error fails the run before the long I/O build starts.
  pure=(unit_translators unit_config unit_sim unit_deploy golden fuzz_regressions)
  cmake --build build-sanitize -j"$jobs" --target "${pure[@]}"
  ctest --test-dir build-sanitize --output-on-failure -R "^($(IFS='|'; echo "${pure[*]}"))\$"
  echo "test.sh: sanitized pure tests took $(( $(date +%s) - start ))s"
  # 2b. Everything else: the proxy's unit tests, the e2e and .NET client tests.
  cmake --build build-sanitize -j"$jobs"
  ctest --test-dir build-sanitize --output-on-failure -E "^($(IFS='|'; echo "${pure[*]}"))\$"
  echo "test.sh: sanitized stage took $(( $(date +%s) - start ))s"
fi
