-- wrk script for scripts/bench-proxy.sh. Each request is a GetProjectData path built from
-- BENCH_PREFIX .. <project id> .. BENCH_SUFFIX. With BENCH_DISTINCT=1 every request names a
-- different project (a per-connection counter plus the thread and BENCH_SALT), so neither
-- proxy can share one upstream answer between requests; otherwise all name one project.
-- BENCH_AUTH, when set, is sent as the Authorization header. done() prints one RESULT line
-- the script parses (latencies in microseconds).
local prefix = os.getenv("BENCH_PREFIX")
local suffix = os.getenv("BENCH_SUFFIX")
local distinct = os.getenv("BENCH_DISTINCT") == "1"
local salt = os.getenv("BENCH_SALT") or "A"
local auth = os.getenv("BENCH_AUTH")
local counter = 0

function init(args)
  if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
end

function request()
  local id = "PRJ000000001"
  if distinct then
    counter = counter + 1
    -- 12 characters, all RFC 3986 unreserved (pcbridge checks V1 id segments).
    id = string.format("P%s%010d", salt, counter)
  end
  return wrk.format("GET", prefix .. id .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), e.connect + e.read + e.write + e.timeout, e.status))
end
