#!/usr/bin/env bash
# Builds pcbridge and the bundled V2 simulator, starts both (simulator on :9090,
# pcbridge on :8080 with config/demo.yaml) and prints a V1 call to paste. Ctrl-C stops.
# Ports: PCBRIDGE_PORT and SIM_PORT override 8080 and 9090.
set -euo pipefail
cd "$(dirname "$0")/.."

proxy_port="${PCBRIDGE_PORT:-8080}"
sim_port="${SIM_PORT:-9090}"

deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j"$(nproc)" --target pcbridge pcbridge-sim

config="build/demo.yaml"
sed -e "s/port: 8080/port: ${proxy_port}/" -e "s/127.0.0.1:9090/127.0.0.1:${sim_port}/g" config/demo.yaml > "$config"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

build/pcbridge-sim --port "$sim_port" --quiet &
pids+=($!)
build/pcbridge --config "$config" &
pids+=($!)

for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:${proxy_port}/" && break
  sleep 0.1
done

cat <<MSG

pcbridge is listening on http://127.0.0.1:${proxy_port} (V2 simulator on :${sim_port}).
Send a legacy V1 call (HTTP Basic demo-user / demo-pass), for example:

  curl -s -u demo-user:demo-pass http://127.0.0.1:${proxy_port}/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects

  curl -s -u demo-user:demo-pass -X POST http://127.0.0.1:${proxy_port}/Services.svc/v1/Programs/PRG0M4A7B2CD/NewProject

Press Ctrl-C to stop.
MSG
wait
