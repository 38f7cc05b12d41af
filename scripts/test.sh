#!/usr/bin/env bash
# Runs the whole test suite twice: installs missing Debian packages, then
#  1. builds everything (Ninja, build/) and runs unit, golden, fuzz-regression and
#     end-to-end tests with CTest;
#  2. builds what the tests need with AddressSanitizer + UndefinedBehaviorSanitizer
#     (build-sanitize/, no benchmarks) and runs the same tests there: the pure code's tests
#     gate the run; the proxy, e2e and .NET tests (which start the sanitized pcbridge and
#     simulator) are reported, and gate only with SANITIZE_GATE_ALL=1 for now.
# Arguments go to the first ctest run (e.g. -R unit_). SANITIZE=0 skips stage 2.
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
  # halt_on_error: the first report ends the process with a failure status; the e2e harness
  # also fails a test when a child's output holds a report (tests/e2e/process.cpp).
  export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # 2a. The pure code (translators, config, simulator core, fuzz regressions): gates the run.
  pure=(unit_translators unit_config unit_sim unit_deploy golden fuzz_regressions)
  cmake --build build-sanitize -j"$jobs" --target "${pure[@]}"
  ctest --test-dir build-sanitize --output-on-failure -R "^($(IFS='|'; echo "${pure[*]}"))\$"
  echo "test.sh: sanitized pure tests took $(( $(date +%s) - start ))s"
  # 2b. The proxy's unit, end-to-end and .NET client tests with the sanitized pcbridge and
  # simulator. Reported but not yet gating: their first sanitized run on CI's machine is still
  # to be read (see the closing note of the session that added it). SANITIZE_GATE_ALL=1 gates it.
  # Bounded (25 min for the tests) so that CI's 90 minutes hold whatever the sanitized run does.
  if cmake --build build-sanitize -j"$jobs" &&
     timeout 1500 ctest --test-dir build-sanitize --output-on-failure -R '^(unit_proxy|e2e|dotnet_legacy_client)$'; then
    echo "test.sh: sanitized proxy and e2e tests passed"
  else
    echo "test.sh: SANITIZED PROXY/E2E TESTS FAILED (reported, not gating yet)"
    [ "${SANITIZE_GATE_ALL:-0}" = 1 ] && exit 1
  fi
  echo "test.sh: sanitized stage took $(( $(date +%s) - start ))s"
fi
