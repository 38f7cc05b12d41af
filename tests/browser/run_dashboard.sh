#!/usr/bin/env bash
# The dashboard in a real browser (CTest: browser_dashboard). Starts the bundled V2 simulator
# and pcbridge (admin listener with a token, a usage state file seeded with a method last called
# 45 days ago) on free loopback ports, sends a known sequence of V1 requests (one answered by an
# upstream 500 that echoes the caller's API key, client secret and password), then loads the
# admin listener's page in headless Chromium (Debian `chromium`): --dump-dom for the assertions,
# --screenshot (1280x1300, the whole page) for the artifact. The token reaches the page as
# "#token=..." (a fragment: never sent to the server; the page moves it to sessionStorage and out
# of the URL at once).
#   run_dashboard.sh <pcbridge> <pcbridge-sim> <artifacts-dir>
# Exit code: 0 when every check passed; 1 otherwise (the failed checks are printed).
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 <pcbridge> <pcbridge-sim> <artifacts-dir>" >&2
  exit 2
fi
pcbridge=$1 sim=$2 artifacts=$3
browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (deploy/install-deps.sh installs it)"
  exit 1
fi
mkdir -p "$artifacts"

source "$(dirname "$0")/../lib/servers.sh"
servers_init browser

token=browser-admin-token-4e1f9a
program=PRG0M4A7B2CD

"$sim" --port 0 --port-file "$dir/sim.port" --client demo-client:demo-secret:demo-key \
  --client field-client:field-secret-9:field-key-7 >"$dir/sim.log" 2>&1 &
sim_pid=$!
sim_port=$(wait_port "$dir/sim.port" "$sim_pid") || { echo "FAIL: the simulator did not start"; exit 1; }

# A client that stopped calling 45 days ago: its method is "gone quiet". And a user name that is
# markup (names come from clients): the page must show it as text, never run it.
old_day=$(date -u -d '45 days ago' +%Y-%m-%d)
cat >"$dir/usage.json" <<JSON
{"retention_days":90,"clients":[{"user":"old-portal","methods":[{"method":"GetInquiryThreads","count":7,"errors":0,
"errors_4xx":0,"errors_5xx":0,"first_seen":"${old_day}T08:00:00Z","last_seen":"${old_day}T09:30:00Z",
"daily":{"${old_day}":7}}]},
{"user":"<img src=x onerror=\\"document.title='pwned'\\">","methods":[{"method":"GetForms","count":1,"errors":0,
"errors_4xx":0,"errors_5xx":0,"first_seen":"${old_day}T08:00:00Z","last_seen":"${old_day}T08:00:00Z","daily":{}}]}]}
JSON

cat >"$dir/pcbridge.yaml" <<YAML
listen: { address: 127.0.0.1, port: 0 }
upstream:
  base_url: http://127.0.0.1:${sim_port}
  token_url: http://127.0.0.1:${sim_port}/connect/token
  timeout_ms: 5000
clients:
  - { user: legacy-user, password: s3cret-legacy-pass, client_id: demo-client, client_secret: demo-secret, api_key: demo-key }
  - { user: field-office, password: f1eld-pass-x, client_id: field-client, client_secret: field-secret-9, api_key: field-key-7 }
  - { user: stale-sync, password: st4le-pass, client_id: revoked-client, client_secret: revoked-secret, api_key: demo-key }
routes:
  GetStatusList: { mode: reject }
admin: { address: 127.0.0.1, port: 0, token: ${token} }
usage: { state_file: ${dir}/usage.json, flush_interval_s: 3600 }
YAML
"$pcbridge" --config "$dir/pcbridge.yaml" --port-file "$dir/proxy.port" --admin-port-file "$dir/admin.port" \
  >"$dir/proxy.log" 2>&1 &
proxy_pid=$!
proxy_port=$(wait_port "$dir/proxy.port" "$proxy_pid") || { echo "FAIL: pcbridge did not start"; exit 1; }
admin_port=$(wait_port "$dir/admin.port" "$proxy_pid") || { echo "FAIL: the admin listener did not start"; exit 1; }
echo "simulator 127.0.0.1:${sim_port}, pcbridge 127.0.0.1:${proxy_port}, admin 127.0.0.1:${admin_port}"

failures=0
check() {  # check <description> <command...>
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

v1() {  # v1 <user> <password> <api key> <V1 path>: prints the HTTP status
  env -u http_proxy -u HTTP_PROXY -u all_proxy -u ALL_PROXY curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
    -u "$1:$2" -H "X-ApiKey: $3" "http://127.0.0.1:${proxy_port}/Services.svc/v1/$4"
}

# The known sequence of V1 requests.
check "legacy-user GetPrograms x2" test "$(v1 legacy-user s3cret-legacy-pass demo-key Programs)$(v1 legacy-user s3cret-legacy-pass demo-key Programs)" = 200200
for _ in 1 2 3; do
  check "legacy-user GetProjects" test "$(v1 legacy-user s3cret-legacy-pass demo-key "Programs/$program/Projects")" = 200
done
check "field-office GetProjects" test "$(v1 field-office f1eld-pass-x field-key-7 "Programs/$program/Projects")" = 200
check "field-office GetStatusList is rejected (routes: reject)" \
  test "$(v1 field-office f1eld-pass-x field-key-7 "Programs/$program/StatusList")" = 501
# The next GetForms is answered 500 by the simulator with a body echoing the caller's secrets.
fault='{"match":"/Forms","status":500,"body":"{\"detail\":\"form store failed for key field-key-7, secret field-secret-9, password f1eld-pass-x\"}"}'
env -u http_proxy -u HTTP_PROXY curl -s -o /dev/null --max-time 10 -X POST -H 'Content-Type: application/json' \
  --data "$fault" "http://127.0.0.1:${sim_port}/__sim/faults"
check "field-office GetForms gets the upstream 500" \
  test "$(v1 field-office f1eld-pass-x field-key-7 "Programs/$program/Forms")" = 500

chrome() {  # chrome <args...>: headless Chromium with a throwaway profile, bounded in time
  env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY HOME="$dir" \
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-extensions --disable-background-networking --disable-sync --user-data-dir="$dir/profile" \
    "$@" 2>>"$dir/chromium.log"
}

page="http://127.0.0.1:${admin_port}/"
# 25 s of virtual time: the page loads, then refreshes itself at 10 s and 20 s.
chrome --virtual-time-budget=25000 --dump-dom "${page}#token=${token}" >"$dir/dom.html"
cp "$dir/dom.html" "$artifacts/dashboard.dom.html"
rm -f "$artifacts/dashboard.png"
chrome --virtual-time-budget=8000 --screenshot="$artifacts/dashboard.png" --window-size=1280,1300 --hide-scrollbars "${page}#token=${token}" >/dev/null
chrome --virtual-time-budget=8000 --dump-dom "$page" >"$dir/dom-no-token.html"
chrome --virtual-time-budget=8000 --dump-dom "${page}?quiet_days=60#token=${token}" >"$dir/dom-60-days.html"

has() { grep -qF -- "$1" "$dir/dom.html"; }
lacks() { ! grep -qF -- "$1" "$dir/dom.html"; }

check "the page loaded its data and refreshed itself twice (every 10 s)" has '<body data-state="loaded" data-loads="3">'
# Methods still in use: exact rows (method, route mode, calls, clients).
check "GetProjects in use: translate, 4 calls, 2 clients" \
  has '<tr data-method="GetProjects"><td>GetProjects</td><td class="mode-translate">translate</td><td class="num">4</td><td class="num">2</td>'
check "GetPrograms in use: translate, 2 calls, 1 client" \
  has '<tr data-method="GetPrograms"><td>GetPrograms</td><td class="mode-translate">translate</td><td class="num">2</td><td class="num">1</td>'
# A rejected call is answered before sign-in, yet counted under its caller (valid credentials).
check "GetStatusList (rejected) in use: reject, 1 call, 1 client" \
  has '<tr data-method="GetStatusList"><td>GetStatusList</td><td class="mode-reject">reject</td><td class="num">1</td><td class="num">1</td>'
check "GetInquiryThreads gone quiet: translate, 7 calls, 1 client, last seen ${old_day}, 45 days" \
  has "<tr data-method=\"GetInquiryThreads\"><td>GetInquiryThreads</td><td class=\"mode-translate\">translate</td><td class=\"num\">7</td><td class=\"num\">1</td><td>${old_day} 09:30</td><td class=\"num\">45</td></tr>"
check "CreateMfaSessionToken never called, unavailable" has 'CreateMfaSessionToken (unavailable)'
# Client x method matrix: exact cells.
check "matrix: legacy-user row" has '<tr data-user="legacy-user"><td>legacy-user</td>'
check "matrix: legacy-user x GetProjects = 3" has '<td class="cell" data-method="GetProjects"><span class="count">3</span><span class="seen">last '
check "matrix: field-office x GetForms = 1 with 1 error" \
  has '<td class="cell" data-method="GetForms"><span class="count">1</span><span class="errors"> (1 err)</span>'
check "matrix: old-portal x GetInquiryThreads = 7, last seen ${old_day}" \
  has "<td class=\"cell\" data-method=\"GetInquiryThreads\"><span class=\"count\">7</span><span class=\"seen\">last ${old_day} 09:30</span>"
check "matrix: field-office x GetStatusList (rejected) = 1 with 1 error, under its caller" \
  has '<td class="cell" data-method="GetStatusList"><span class="count">1</span><span class="errors"> (1 err)</span>'
check "matrix: no call was left unnamed (no \"-\" row)" lacks '<tr data-user="-">'
check "matrix: 30-day sparkline of legacy-user x GetProjects" has '<title>3 calls in the last 30 days</title>'
check "matrix: the 45-day-old calls are outside the sparkline" has '<title>0 calls in the last 30 days</title>'
# Token health: the revoked client fails, never the token itself.
check "tokens: legacy-user valid, fetched under a minute ago, 59 minutes left" \
  has '<tr data-user="legacy-user"><td>legacy-user</td><td>demo-client</td><td class="state-valid">valid</td><td class="num">0 min</td><td class="num">59 min</td><td>none</td></tr>'
check "tokens: stale-sync failing" has '<tr data-user="stale-sync"><td>stale-sync</td><td>revoked-client</td><td class="state-failing">failing</td>'
# Quota per API key: fingerprints only.
# GetPrograms once upstream (the second is the metadata cache's), GetProjects 3 times.
demo_fp=$(printf %s demo-key | sha256sum | cut -c1-12)
field_fp=$(printf %s field-key-7 | sha256sum | cut -c1-12)
check "quota: demo-key by fingerprint, its clients, 4 operations" \
  has "<tr data-key=\"${demo_fp}\"><td>${demo_fp}</td><td>legacy-user, stale-sync</td><td class=\"num\">4 / 3600</td>"
# GetProjects and GetForms; the rejected GetStatusList never went upstream.
check "quota: field-key-7 by fingerprint, 2 operations" \
  has "<tr data-key=\"${field_fp}\"><td>${field_fp}</td><td>field-office</td><td class=\"num\">2 / 3600</td>"
# The upstream error, scrubbed.
check "errors: the 500 of GetForms, scrubbed" \
  has '<td class="status-5xx">500</td><td>GetForms</td><td>field-office</td><td>form store failed for key ***, secret ***, password ***</td>'
for secret in field-key-7 field-secret-9 f1eld-pass-x demo-secret demo-key "$token"; do
  check "no secret '$secret' on the page" lacks "$secret"
done
check "without the token the page asks for it" grep -qF '<body data-state="needs-token">' "$dir/dom-no-token.html"
check "without the token no client name is shown" bash -c "! grep -qF 'legacy-user' '$dir/dom-no-token.html'"
markup_cell="<td>&lt;img src=x onerror=\"document.title='pwned'\"&gt;</td>"
check "a user name that is markup is shown as text" has "$markup_cell"
check "... and never becomes an element" lacks '<img'
check "... nor runs" has '<title>pcbridge migration dashboard</title>'
check "with ?quiet_days=60 the 45-day-old method is still in use" \
  grep -qF '<tr data-method="GetInquiryThreads"><td>GetInquiryThreads</td><td class="mode-translate">translate</td><td class="num">7</td><td class="num">1</td><td>'"${old_day}"' 09:30</td></tr>' "$dir/dom-60-days.html"
check "... and nothing has gone quiet" grep -qF 'no method has gone quiet' "$dir/dom-60-days.html"
check "the screenshot was written" test -s "$artifacts/dashboard.png"

# A sanitized build (scripts/test.sh stage 2) reports into the servers' output, at exit too.
servers_stop
sim_pid="" proxy_pid=""
no_report() { ! grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|: runtime error: ' "$1"; }
check "no sanitizer report from pcbridge" no_report "$dir/proxy.log"
check "no sanitizer report from the simulator" no_report "$dir/sim.log"

if [ "$failures" -ne 0 ]; then
  echo "---- page DOM kept in $artifacts/dashboard.dom.html ----"
  exit 1
fi
echo "browser_dashboard: all checks passed; screenshot $artifacts/dashboard.png"
