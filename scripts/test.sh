#!/usr/bin/env bash
# Runs the whole test suite twice: installs missing Debian packages, then
#  1. builds everything (Ninja, build/) and runs unit, golden, fuzz-regression and
#     end-to-end tests with CTest;
#  2. builds what the tests need with AddressSanitizer + UndefinedBehaviorSanitizer
#     (build-sanitize/, no benchmarks) and runs the same tests there: the e2e tests start
#     the sanitized pcbridge and simulator, and a report from any of them fails the run.
# Arguments go to both ctest runs (e.g. -R unit_). SANITIZE=0 skips stage 2.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
jobs="$(nproc)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure "$@"

if [ "${SANITIZE:-1}" != 0 ]; then
  start=$(date +%s)
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPCBRIDGE_SANITIZE=ON \
    -DPCBRIDGE_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build build-sanitize -j"$jobs"
  # halt_on_error: the first report ends the process with a failure status; the e2e harness
  # also fails a test when a child's output holds a report (tests/e2e/process.cpp).
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-sanitize --output-on-failure "$@"
  echo "test.sh: sanitized stage took $(( $(date +%s) - start ))s"
fi
