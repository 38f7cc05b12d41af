#!/usr/bin/env bash
# Builds pcbridge and the bundled V2 simulator, starts both (simulator on :9090, pcbridge on
# :8080 with config/demo.yaml, admin listener on :9901) and prints a V1 call to paste once
# pcbridge answers its own /healthz. Ctrl-C stops.
# Ports: PCBRIDGE_PORT, ADMIN_PORT and SIM_PORT override 8080, 9901 and 9090.
# DEMO_BUILD_DIR=dir DEMO_SKIP_BUILD=1 use binaries already built there (tests do).
# Exit status: 1 when the simulator or pcbridge does not start (the message names the address).
set -euo pipefail
cd "$(dirname "$0")/.."

proxy_port="${PCBRIDGE_PORT:-8080}"
admin_port="${ADMIN_PORT:-9901}"
sim_port="${SIM_PORT:-9090}"
build_dir="${DEMO_BUILD_DIR:-build-release}"   # the Release build scripts/package-test.sh packages

if [ "${DEMO_SKIP_BUILD:-0}" != 1 ]; then
  deploy/install-deps.sh
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target pcbridge pcbridge-sim
fi

config="$build_dir/demo.yaml"
sed -e "s/port: 8080/port: ${proxy_port}/" -e "s/port: 9901/port: ${admin_port}/" \
    -e "s/127.0.0.1:9090/127.0.0.1:${sim_port}/g" config/demo.yaml > "$config"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Waits until `url` answers 200 while process `pid` lives; 1 when it exits first or 10 s pass.
wait_healthy() {
  local pid=$1 url=$2
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

# The simulator writes its port file once it listens.
sim_port_file="$build_dir/demo-sim.port"
rm -f "$sim_port_file"
"$build_dir/pcbridge-sim" --port "$sim_port" --port-file "$sim_port_file" --quiet &
pids+=($!)
sim_up=0
for _ in $(seq 1 100); do
  kill -0 "${pids[0]}" 2>/dev/null || break
  [ -s "$sim_port_file" ] && { sim_up=1; break; }
  sleep 0.1
done
if [ "$sim_up" != 1 ]; then
  echo "demo: the V2 simulator did not start on 127.0.0.1:${sim_port} (port in use? set SIM_PORT)" >&2
  exit 1
fi
"$build_dir/pcbridge" --config "$config" &
pids+=($!)
if ! wait_healthy "${pids[1]}" "http://127.0.0.1:${admin_port}/healthz"; then
  echo "demo: pcbridge did not start on 127.0.0.1:${proxy_port} (admin 127.0.0.1:${admin_port});" \
       "see its message above (port in use? set PCBRIDGE_PORT / ADMIN_PORT)" >&2
  exit 1
fi

cat <<MSG

pcbridge is listening on http://127.0.0.1:${proxy_port} (V2 simulator on :${sim_port}, admin on :${admin_port}).
Send a legacy V1 call (HTTP Basic demo-user / demo-pass), for example:

  curl -s -u demo-user:demo-pass http://127.0.0.1:${proxy_port}/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects

  curl -s -u demo-user:demo-pass -X POST http://127.0.0.1:${proxy_port}/Services.svc/v1/Programs/PRG0M4A7B2CD/NewProject

Operations (README "Operations"):

  curl -s http://127.0.0.1:${admin_port}/readyz
  curl -s -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:${admin_port}/metrics

Press Ctrl-C to stop.
MSG
wait
