#!/usr/bin/env bash
# The legacy .NET client test (CTest: dotnet_legacy_client): starts the bundled V2 simulator and
# pcbridge on free loopback ports with a test config (as tests/e2e/stack.cpp does), runs the
# Mono client through the whole V1 workflow, and stops both servers on any exit.
#   run.sh <pcbridge> <pcbridge-sim> <client.exe> [known-failures-file]
# Exit code: the client's (0 = no check failed); 1 when the stack does not start.
set -uo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 <pcbridge> <pcbridge-sim> <client.exe> [known-failures-file]" >&2
  exit 2
fi
pcbridge=$1 sim=$2 client=$3 known=${4:-}

source "$(dirname "$0")/../lib/servers.sh"
servers_init dotnet

"$sim" --port 0 --port-file "$dir/sim.port" --client demo-client:demo-secret:demo-key >"$dir/sim.log" 2>&1 &
sim_pid=$!
sim_port=$(wait_port "$dir/sim.port" "$sim_pid") || { echo "FAIL: the simulator did not start"; exit 1; }

cat >"$dir/pcbridge.yaml" <<YAML
listen: { address: 127.0.0.1, port: 0 }
upstream:
  base_url: http://127.0.0.1:${sim_port}
  token_url: http://127.0.0.1:${sim_port}/connect/token
  timeout_ms: 10000
clients:
  - user: legacy-user
    password: s3cret-legacy-pass
    client_id: demo-client
    client_secret: demo-secret
    api_key: demo-key
  - user: admin-user
    password: adm1n-pass
    client_id: demo-client
    client_secret: demo-secret
    api_key: demo-key
    admin: true
log: { format: text, level: info }
YAML
"$pcbridge" --config "$dir/pcbridge.yaml" --port-file "$dir/proxy.port" >"$dir/proxy.log" 2>&1 &
proxy_pid=$!
proxy_port=$(wait_port "$dir/proxy.port" "$proxy_pid") || { echo "FAIL: pcbridge did not start"; exit 1; }
echo "simulator on 127.0.0.1:${sim_port}, pcbridge on 127.0.0.1:${proxy_port}"

# The client: TZ=UTC so its DateTime values print with +00:00 (the '+' a raw query turns into a
# space); no proxy variables, so HttpWebRequest goes straight to loopback; Mono's per-user files
# in the temporary directory.
known_arg=()
[ -n "$known" ] && known_arg=("$known")
env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
  TZ=UTC HOME="$dir" XDG_CONFIG_HOME="$dir/config" \
  timeout 300 mono "$client" "http://127.0.0.1:${proxy_port}/Services.svc/v1" \
  legacy-user s3cret-legacy-pass admin-user adm1n-pass demo-key "${known_arg[@]}"
