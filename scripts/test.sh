#!/usr/bin/env bash
# Runs the whole test suite: installs missing Debian packages, builds everything
# (Ninja, build/), then runs unit, golden and end-to-end tests with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure "$@"
