#!/usr/bin/env bash
# pcbridge against nginx proxy_pass in front of the same upstream, in one run (issue 11).
# Not a test (CTest does not run it): it prints figures. Everything listens on 127.0.0.1.
#
#   scripts/bench-proxy.sh [BUILD_DIR]      (default: build; needs BUILD_DIR/pcbridge)
#   env: DURATION=10 (seconds per main run), CONNECTIONS=32, STRACE_DURATION=3
#        MEMORY=0: skip the memory section (idle RSS, 1000 connections, 1 GiB attachment up and down)
#        PERF_OUT=FILE: instead, record pcbridge with perf (cpu-clock, call graphs) over one
#        distinct-request run into FILE (perf report -i FILE), and stop
#        PERF_CALLGRAPH="--call-graph dwarf": perf's call-graph option (default -g, frame pointers)
#        PCBRIDGE_WRAP="env LD_PRELOAD=...": a command pcbridge (only) is started under, to try
#        e.g. another allocator against the same nginx runs
#        CALLGRIND_OUT=FILE: instead, run pcbridge under valgrind callgrind for one distinct-request
#        run (4 connections; instruction counts do not depend on the machine's load), write
#        FILE (callgrind_annotate FILE), and stop. Divide by the RESULT line's requests; start-up
#        (about 0.27 G instructions, mostly loading the system's CA certificates) is included.
#
# The upstream is an nginx (one worker) serving a 50-field V2 GetProjectData answer for every
# project id (a regex location) and the form's schema, plus a static token answer for
# pcbridge's client-credentials POST. In front of it: pcbridge (translating V1 -> V2 -> V1)
# and nginx proxy_pass (one worker, upstream keep-alive, passing V2 through). wrk (1 thread)
# drives each in turn. Upstream calls are counted from the upstream's access log; CPU from
# /proc/<pid>/stat; syscalls from strace -c -f -p over a shorter run of its own (strace slows
# the process, so that run gives only the per-request count).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
strace_duration="${STRACE_DURATION:-3}"
lua="$here/tests/bench/proxy/requests.lua"
pcbridge_bin="$build/pcbridge"
for tool in nginx wrk strace curl; do
  command -v "$tool" >/dev/null || { echo "bench-proxy: $tool not found (deploy/install-deps.sh)" >&2; exit 1; }
done
[ -x "$pcbridge_bin" ] || { echo "bench-proxy: $pcbridge_bin not built" >&2; exit 1; }

tmp="$(mktemp -d /tmp/pcbridge-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {  # a port nothing answers on and not already picked (args); bind races are reported by the loser
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    case " $* " in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}
up_port="$(free_port)"; ngx_port="$(free_port "$up_port")"; pcb_port="$(free_port "$up_port" "$ngx_port")"

program=PRG0M4A7B2CD
form=F0RM1A2B3C4D
v2_prefix="/services/v2/Programs/$program/Projects/"
v2_suffix="/Forms/$form/Draft/Data"
v1_prefix="/Services.svc/v1/Programs/$program/Projects/"
v1_suffix="/Forms/$form/Data"

# --- upstream content: 50 fields (text, date, boolean, number; every fifth multi-instance)
mkdir -p "$tmp/www"
{
  fields="" schema=""
  for i in $(seq -w 1 50); do
    id="DF${i}FIELD0${i}"
    case $((10#$i % 4)) in
      0) type=Text; value="\"Some free text for field $i, long enough to look real\"" ;;
      1) type=Date; value="\"2024-02-$(printf %02d $((10#$i % 28 + 1)))\"" ;;
      2) type=Boolean; value="\"true\"" ;;
      3) type=Number; value="\"$((10#$i * 1234))\"" ;;
    esac
    if [ $((10#$i % 5)) -eq 0 ]; then
      f="{\"DataFieldId\":\"$id\",\"CustomId\":null,\"Name\":\"Field $i\",\"Value\":null,\"Values\":[$value,$value]}"
      multi=",\"MultiInstance\":true"
    else
      f="{\"DataFieldId\":\"$id\",\"CustomId\":\"Custom$i\",\"Name\":\"Field $i\",\"Value\":$value,\"Values\":null}"
      multi=""
    fi
    fields="${fields:+$fields,}$f"
    schema="${schema:+$schema,}{\"DataFieldId\":\"$id\",\"CustomId\":null,\"Name\":\"Field $i\",\"Type\":\"$type\"$multi}"
  done
  printf '{"Project":{"ProjectId":"PRJ7K2M9Q4XZ","ProgramId":"%s","ProjectNumber":"APP-00107",' "$program" >"$tmp/www/data.json"
  printf '"Url":"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=%s&ProjectId=PRJ7K2M9Q4XZ",' "$program" >>"$tmp/www/data.json"
  printf '"LastChangeTimestamp":"2024-02-14T15:15:55-08:00","CurrentStatus":{"StatusId":"ST8R1V6N3LQA","CustomId":null,"Name":"Unsubmitted","Timestamp":"2024-02-14T15:10:02-08:00"},"CanSubmit":true,' >>"$tmp/www/data.json"
  printf '"DataFields":[%s],"Attachments":[]}}' "$fields" >>"$tmp/www/data.json"
  printf '{"FormSchema":{"FormId":"%s","CustomId":null,"Name":"Interconnection Application","DataFields":[%s]}}' \
    "$form" "$schema" >"$tmp/www/schema.json"
}

user_line="user $(id -un) $(id -gn);"  # only read when started as root: keep the workers as us
nginx_conf() {  # name, then the server block
  local dir="$tmp/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 100000000;
  $2
}
EOF
}
nginx_conf upstream "
  log_format calls '\$request_uri';
  server {
    listen 127.0.0.1:$up_port;
    access_log $tmp/upstream/logs/calls.log calls buffer=256k flush=1s;
    root $tmp/www;
    default_type application/json;
    location = /connect/token { return 200 '{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}'; }
    location ~ ^/services/v2/Programs/[^/]+/Projects/[^/]+/Forms/[^/]+/Draft/Data\$ { try_files /data.json =404; }
    location ~ ^/services/v2/Programs/[^/]+/Forms/[^/]+/Schema\$ { try_files /schema.json =404; }
    # Attachments (the memory section): an upload is read whole (into a temp file, as an
    # upstream taking it would) before the answer; a download is a 1 GiB sparse file.
    location ~ ^/services/v2/Programs/[^/]+/Projects/[^/]+/Forms/[^/]+/Attachments/[^/]+\$ {
      client_max_body_size 0; client_body_in_file_only clean; proxy_pass_request_body off;
      proxy_set_header Content-Length \"\"; rewrite ^ /uploaded break; proxy_pass http://127.0.0.1:$up_port;
    }
    location = /uploaded { return 200 '{\"AttachmentMetadata\":{\"AttachmentId\":\"AT0000000001\",\"CustomId\":null,\"AttachmentName\":\"Big\",\"FileName\":\"big.bin\",\"FileSize\":1073741824,\"AttachmentStatus\":\"Pending\",\"Note\":null}}'; }
    location ~ ^/services/v2/Programs/[^/]+/Projects/[^/]+/Attachments/[^/]+\$ {
      default_type application/octet-stream; try_files /big.bin =404;
    }
  }"
nginx_conf front "
  upstream v2 { server 127.0.0.1:$up_port; keepalive 64; }
  server {
    listen 127.0.0.1:$ngx_port;
    access_log $tmp/front/logs/access.log;
    location / { proxy_pass http://v2; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"

cat >"$tmp/pcbridge.yaml" <<EOF
listen: { address: 127.0.0.1, port: $pcb_port }
upstream:
  base_url: http://127.0.0.1:$up_port
  token_url: http://127.0.0.1:$up_port/connect/token
  operations_per_minute: 100000   # with the 100 ms window: no pacing in the way
  rate_window_ms: 100
  burst: 100000
  max_queue: 100000
clients:
  - user: bench
    password: bench-password
    client_id: bench-client
    client_secret: bench-secret
    api_key: bench-key
EOF
auth="Basic $(printf 'bench:bench-password' | base64)"

nginx -p "$tmp/upstream" -c "$tmp/upstream/nginx.conf" 2>"$tmp/upstream/logs/stderr" & pids+=($!); up_pid=$!
nginx -p "$tmp/front" -c "$tmp/front/nginx.conf" 2>"$tmp/front/logs/stderr" & pids+=($!); ngx_pid=$!
wrap=(${PCBRIDGE_WRAP:-})
[ -n "${CALLGRIND_OUT:-}" ] && wrap=(valgrind --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT")
"${wrap[@]}" "$pcbridge_bin" --config "$tmp/pcbridge.yaml" >"$tmp/pcbridge.log" 2>&1 & pids+=($!); pcb_pid=$!

wait_ok() {  # url [auth]: until 200, at most 10 s (60 s under valgrind)
  for _ in $(seq $(( ${#wrap[@]} > 0 ? 600 : 100 ))); do
    code="$(curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Authorization: $2"} "$1" || true)"
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  echo "bench-proxy: $1 never answered 200 (last: $code)" >&2
  tail -n 5 "$tmp/pcbridge.log" "$tmp"/*/logs/error.log >&2 || true
  exit 1
}
wait_ok "http://127.0.0.1:$up_port${v2_prefix}PRJ7K2M9Q4XZ$v2_suffix"
wait_ok "http://127.0.0.1:$ngx_port${v2_prefix}PRJ7K2M9Q4XZ$v2_suffix"
wait_ok "http://127.0.0.1:$pcb_port${v1_prefix}PRJ7K2M9Q4XZ$v1_suffix" "$auth"  # also caches the schema
idle_fresh="$(awk '/^VmRSS:/ {print $2}' "/proc/$pcb_pid/status")"
ngx_worker="$(cat "/proc/$ngx_pid/task/$ngx_pid/children" | awk '{print $1}')"

cpu_ticks() {  # utime+stime of the given pids (fields 14, 15; the name in () has no spaces here)
  local sum=0
  for p in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$sum"
}
upstream_calls() {  # upstream requests other than token fetches, after the log's flush interval
  sleep 1.3
  grep -vc '^/connect/token' "$tmp/upstream/logs/calls.log" || true
}
field() { sed -n "s/.*[ ]$1=\\([0-9]*\\).*/\\1/p" <<<"$2"; }

salt_n=0
run_wrk() {  # target(pcbridge|nginx|direct) distinct(0|1) connections seconds -> RESULT line
  local port prefix suffix a=""
  case $1 in
    pcbridge) port=$pcb_port prefix=$v1_prefix suffix=$v1_suffix a=$auth ;;
    nginx) port=$ngx_port prefix=$v2_prefix suffix=$v2_suffix ;;
    direct) port=$up_port prefix=$v2_prefix suffix=$v2_suffix ;;
  esac
  salt_n=$((salt_n + 1))
  local salt
  salt="$(printf "\\x$(printf %x $((64 + salt_n % 26 + 1)))")"
  BENCH_PREFIX=$prefix BENCH_SUFFIX=$suffix BENCH_DISTINCT=$2 BENCH_SALT=$salt BENCH_AUTH=$a \
    wrk -t1 -c"$3" -d"${4}s" -s "$lua" "http://127.0.0.1:$port" | grep '^RESULT'
}

declare -A rps p50 p99 p999 cpu calls sys
measure() {  # target pids...: main run with CPU and upstream calls
  local target=$1; shift
  local c0 u0 c1 u1 r n d
  u0="$(upstream_calls)"; c0="$(cpu_ticks "$@")"
  r="$(run_wrk "$target" 1 "$connections" "$duration")"
  c1="$(cpu_ticks "$@")"; u1="$(upstream_calls)"
  n="$(field requests "$r")"; d="$(field duration_us "$r")"
  [ "$(field socket_errors "$r")" = 0 ] && [ "$(field non2xx "$r")" = 0 ] || echo "  WARNING $target: $r"
  rps[$target]="$(awk -v n="$n" -v d="$d" 'BEGIN{printf "%.0f", n / (d / 1e6)}')"
  p50[$target]="$(field p50_us "$r")"; p99[$target]="$(field p99_us "$r")"; p999[$target]="$(field p999_us "$r")"
  cpu[$target]="$(awk -v t=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.3f", t / hz / n * 1000}')"
  calls[$target]="$(awk -v u=$((u1 - u0)) -v n="$n" 'BEGIN{printf "%.2f", u / n}')"
}
strace_run() {  # target pid
  local out="$tmp/strace.$1" spid r n total
  strace -c -f -p "$2" -o "$out" 2>/dev/null & spid=$!
  sleep 0.5
  r="$(run_wrk "$1" 1 "$connections" "$strace_duration")"
  kill -INT "$spid"; wait "$spid" 2>/dev/null || true
  n="$(field requests "$r")"
  total="$(awk '$NF == "total" {print $4}' "$out")"
  sys[$1]="$(awk -v t="${total:-0}" -v n="$n" 'BEGIN{printf "%.1f", t / n}')"
  awk '/^-/ {s++; next} s == 1 && $4 > 0 {print $NF, $4}' "$out" | sort -k2 -nr | head -6 |
    awk -v n="$n" '{printf "%s %.1f, ", $1, $2 / n}' >"$tmp/top.$1"
}
ms() { awk -v u="$1" 'BEGIN{printf "%.2f", u / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }

if [ -n "${CALLGRIND_OUT:-}" ]; then
  r="$(run_wrk pcbridge 1 4 "$duration")"
  kill -TERM "$pcb_pid"; wait "$pcb_pid" 2>/dev/null || true
  echo "$r"
  total="$(callgrind_annotate "$CALLGRIND_OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')"
  echo "callgrind: $total instructions in all (start-up included) for $(field requests "$r") requests"
  exit 0
fi
if [ -n "${PERF_OUT:-}" ]; then
  perf record -e cpu-clock ${PERF_CALLGRAPH:--g} -o "$PERF_OUT" -p "$pcb_pid" 2>/dev/null & perf_pid=$!
  sleep 0.5
  run_wrk pcbridge 1 "$connections" "$duration"
  kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
  exit 0
fi

echo "bench-proxy: GetProjectData, 50 fields ($(wc -c <"$tmp/www/data.json") byte V2 answer); wrk 1 thread"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
echo
echo "== distinct requests (every request a different project), $connections connections, ${duration}s each"
measure pcbridge "$pcb_pid"
measure nginx "$ngx_pid" "$ngx_worker"
strace_run pcbridge "$pcb_pid"
strace_run nginx "$ngx_worker"
printf '  %-9s %9s %8s %8s %9s %15s %14s %10s\n' "" "req/s" "p50 ms" "p99 ms" "p99.9 ms" "upstream/req" "CPU s/1000" "syscalls/req"
for t in pcbridge nginx; do
  printf '  %-9s %9s %8s %8s %9s %15s %14s %10s\n' "$t" "${rps[$t]}" "$(ms "${p50[$t]}")" "$(ms "${p99[$t]}")" \
    "$(ms "${p999[$t]}")" "${calls[$t]}" "${cpu[$t]}" "${sys[$t]}"
done
printf '  %-9s %9s %8s %8s %9s %15s %14s %10s\n' "ratio" "$(ratio "${rps[pcbridge]}" "${rps[nginx]}")" \
  "$(ratio "${p50[pcbridge]}" "${p50[nginx]}")" "$(ratio "${p99[pcbridge]}" "${p99[nginx]}")" \
  "$(ratio "${p999[pcbridge]}" "${p999[nginx]}")" "" "$(ratio "${cpu[pcbridge]}" "${cpu[nginx]}")" \
  "$(ratio "${sys[pcbridge]}" "${sys[nginx]}")"
echo "  (ratio = pcbridge / nginx; syscalls from a ${strace_duration}s run under strace -c -f; upstream/req"
echo "   counts calls still in flight when wrk stops, up to $connections more than the answers counted)"
for t in pcbridge nginx; do echo "  top syscalls/req $t: $(cat "$tmp/top.$t")"; done
echo
echo "== identical requests (one project: pcbridge coalesces), $connections connections, ${duration}s each"
for t in pcbridge nginx; do
  u0="$(upstream_calls)"
  r="$(run_wrk "$t" 0 "$connections" "$duration")"
  u1="$(upstream_calls)"; n="$(field requests "$r")"; d="$(field duration_us "$r")"
  printf '  %-9s %9.0f req/s  p99 %6s ms  upstream/req %s\n' "$t" "$(awk -v n="$n" -v d="$d" 'BEGIN{print n / (d / 1e6)}')" \
    "$(ms "$(field p99_us "$r")")" "$(awk -v u=$((u1 - u0)) -v n="$n" 'BEGIN{printf "%.2f", u / n}')"
done
echo
echo "== 1 connection, distinct requests, ${duration}s each: added latency vs the upstream directly"
for t in direct pcbridge nginx; do
  r="$(run_wrk "$t" 1 1 "$duration")"
  p50[$t]="$(field p50_us "$r")"; p99[$t]="$(field p99_us "$r")"
done
for t in direct pcbridge nginx; do
  printf '  %-9s p50 %6s ms  p99 %6s ms' "$t" "$(ms "${p50[$t]}")" "$(ms "${p99[$t]}")"
  [ "$t" = direct ] && echo || printf '   added: p50 +%s ms, p99 +%s ms\n' \
    "$(ms $((p50[$t] - p50[direct])))" "$(ms $((p99[$t] - p99[direct])))"
done
[ "${MEMORY:-1}" = 0 ] && exit 0
echo
echo "== memory (pcbridge VmRSS, sampled every 50 ms)"
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
peak_rss_while() {  # pid command...: the highest VmRSS while the command runs
  local pid=$1 peak cur; shift
  "$@" >"$tmp/peak.out" 2>&1 & local cmd=$!
  peak="$(rss_kib "$pid")"
  while kill -0 "$cmd" 2>/dev/null; do
    cur="$(rss_kib "$pid")"; [ "$cur" -gt "$peak" ] && peak=$cur
    sleep 0.05
  done
  wait "$cmd" || true
  echo "$peak"
}
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }
echo "  idle, after start-up and one request:   $(mb "$idle_fresh") MB; after the runs above: $(mb "$(rss_kib "$pcb_pid")") MB"
# 1000 keep-alive connections, each having had one request answered, then idle.
before="$(rss_kib "$pcb_pid")"
request="GET ${v1_prefix}PRJ7K2M9Q4XZ$v1_suffix HTTP/1.1\r\nHost: x\r\nAuthorization: $auth\r\n\r\n"
fds=()
for _ in $(seq 1000); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$pcb_port" && fds+=("$fd") && printf "$request" >&"$fd"
done
sleep 2
held="$(rss_kib "$pcb_pid")"
for fd in "${fds[@]}"; do exec {fd}>&-; done
echo "  ${#fds[@]} idle keep-alive connections:      $(mb "$held") MB (before: $(mb "$before") MB)"
peak="$(peak_rss_while "$pcb_pid" run_wrk pcbridge 1 1000 5)"
echo "  1000 busy connections (wrk, 5 s):       peak $(mb "$peak") MB ($(field requests "$(cat "$tmp/peak.out")") requests)"
truncate -s 1G "$tmp/www/big.bin"
before="$(rss_kib "$pcb_pid")"
up_url="http://127.0.0.1:$pcb_port/Services.svc/v1/Programs/$program/Projects/PRJ7K2M9Q4XZ/Forms/$form/Attachments/AT0000000001"
peak="$(peak_rss_while "$pcb_pid" curl -s -o /dev/null -w '%{http_code} %{size_upload}' -u bench:bench-password \
  -X POST -H 'Content-Type: application/octet-stream' -T "$tmp/www/big.bin" "$up_url")"
echo "  1 GiB attachment up:   $(cat "$tmp/peak.out") (status, bytes), RSS before $(mb "$before") MB, peak $(mb "$peak") MB, growth $(mb $((peak - before))) MB"
before="$(rss_kib "$pcb_pid")"
down_url="http://127.0.0.1:$pcb_port/Services.svc/v1/Programs/$program/Projects/PRJ7K2M9Q4XZ/Attachments/AT0000000001"
peak="$(peak_rss_while "$pcb_pid" curl -s -o /dev/null -w '%{http_code} %{size_download}' -u bench:bench-password "$down_url")"
echo "  1 GiB attachment down: $(cat "$tmp/peak.out") (status, bytes), RSS before $(mb "$before") MB, peak $(mb "$peak") MB, growth $(mb $((peak - before))) MB"
