# Shared by the shell-driven tests that start the bundled simulator and pcbridge themselves
# (tests/dotnet/run.sh, tests/browser/run_dashboard.sh). Source it, then call servers_init.
#   servers_init <name>  a temporary directory in $dir (removed on exit); on any exit the
#                        servers whose pids are in $sim_pid / $proxy_pid are stopped (TERM,
#                        then KILL after 5 s) and, when the script failed, their logs
#                        ($dir/proxy.log, $dir/sim.log) are printed.
#   wait_port <file> [pid]  the port a server wrote to its port file, waiting up to 30 s
#                        (bounded), and giving up at once when <pid> is given and has exited.

servers_init() {
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pcbridge-$1.XXXXXX")
  sim_pid="" proxy_pid=""
  trap servers_finish EXIT
  trap 'exit 130' INT TERM
}

servers_stop() {  # only the two servers started by the script, by pid
  for pid in $proxy_pid $sim_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $proxy_pid $sim_pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}

servers_finish() {
  local rc=$?
  servers_stop
  if [ "$rc" -ne 0 ]; then
    echo "---- pcbridge log (last 60 lines) ----"; tail -n 60 "$dir/proxy.log" 2>/dev/null
    echo "---- simulator log (last 30 lines) ----"; tail -n 30 "$dir/sim.log" 2>/dev/null
  fi
  rm -rf "$dir"
  exit "$rc"
}

wait_port() {
  for _ in $(seq 1 300); do
    if [ -s "$1" ]; then head -n 1 "$1"; return 0; fi
    if [ -n "${2:-}" ]; then kill -0 "$2" 2>/dev/null || return 1; fi
    sleep 0.1
  done
  return 1
}
