// End-to-end: what an operator relies on. The admin listener (/healthz, /readyz, /metrics,
// /admin/usage), SIGHUP reload, SIGTERM drain, the TLS listener and its certificate
// rotation, the plaintext guard, the staged cutover switches (routes.<Method>.mode,
// native_v2) and JSON logs. Every case asserts exact values; waits poll with a bound.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"
#include "e2e/tls_client.hpp"

using namespace e2e;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// First 12 hex digits of SHA-256("demo-key"): how /metrics names the simulator's API key.
const std::string demo_key_fingerprint = "c48a01f49fd0";



// Polls `done` every 10 ms until it holds or `timeout` passes; the last answer counts.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// The value of one exact series ("name{labels}") in exposition text, "(absent)" if missing.
std::string metric(const std::string& text, const std::string& series) {
  for (const auto& line : lines_of(text))
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return line.substr(series.size() + 1);
  return "(absent)";
}

// Every sample line of a labelled family, in the order served.
std::vector<std::string> samples(const std::string& text, const std::string& family) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text))
    if (line.rfind(family + "{", 0) == 0) out.push_back(line);
  return out;
}

std::string metrics_of(const stack& s) {
  reply r = s.admin_get("/metrics");
  REQUIRE(r.status == 200);
  return r.body;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// True when a TCP connect to 127.0.0.1:port is actively refused (nobody listening).
bool connect_refused(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int error = errno;
  ::close(fd);
  return rc != 0 && error == ECONNREFUSED;
}

// Every secret of the default config (stack.cpp), plus the ones a test adds.
std::vector<std::string> configured_secrets() {
  return {password, admin_password, keyless_password, sim_client_secret, sim_api_key};
}

// The bearer tokens the simulator saw pcbridge use.
std::vector<std::string> issued_tokens(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_requests()) {
    const std::string auth = header(r, "authorization");
    if (auth.rfind("Bearer ", 0) == 0 && auth.size() > 7) out.push_back(auth.substr(7));
  }
  return out;
}

std::string openssl_binary() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "/usr/bin/openssl";
}

struct cert_pair {
  std::string cert, key;
};

// A fresh self-signed certificate for IP 127.0.0.1 (new key, random serial) in `dir`.
cert_pair make_self_signed(const std::string& dir, const std::string& name) {
  cert_pair out{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  child_process openssl({openssl_binary(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                         "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", out.key, "-out", out.cert},
                        dir + "/openssl.log");
  REQUIRE_MESSAGE(openssl.wait(30s) == 0, read_file(dir + "/openssl.log"));
  return out;
}

// The config the stack generated, with `entry` added as the first client.
std::string with_client(const std::string& yaml, const std::string& entry) {
  const std::string anchor = "clients:\n";
  const auto at = yaml.find(anchor);
  REQUIRE(at != std::string::npos);
  return yaml.substr(0, at + anchor.size()) + entry + yaml.substr(at + anchor.size());
}

std::string client_entry(const std::string& u, const std::string& p, const std::string& id, const std::string& secret) {
  return "  - user: " + u + "\n    password: " + p + "\n    client_id: " + id + "\n    client_secret: " + secret +
         "\n    api_key: " + sim_api_key + "\n";
}

std::string default_client_entries() {
  return client_entry(user, password, sim_client_id, sim_client_secret) +
         client_entry(admin_user, admin_password, sim_client_id, sim_client_secret) + "    admin: true\n" +
         "  - user: " + keyless_user + "\n    password: " + keyless_password + "\n    client_id: " + sim_client_id +
         "\n    client_secret: " + sim_client_secret + "\n";
}


}  // namespace

// --- 1. health and readiness ---

TEST_CASE("ops: /healthz is 200 ok; /readyz is 200 ready once the warm-up token is held") {
  stack_options o;
  o.admin = true;
  stack s(o);
  const reply health = s.admin_get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(health.header("content-type") == "text/plain");
  CHECK(health.header("cache-control") == "no-store");

  // The warm-up fetch is the only token request, made before any client call.
  REQUIRE(s.startup_requests().size() == 1);
  CHECK(s.startup_requests()[0]["target"] == "/connect/token");
  reply ready;
  CHECK(eventually([&] { return (ready = s.admin_get("/readyz")).status == 200; }));
  CHECK(ready.body == "ready\n");
  CHECK(s.sim_stats()["token_fetches"] == 1);
  CHECK(metric(metrics_of(s), "pcbridge_token_fetches_total{result=\"ok\"}") == "1");
}

TEST_CASE("ops: a client whose secret the token endpoint rejects keeps /readyz at 503 naming it; /healthz stays 200") {
  stack_options o;
  o.admin = true;
  o.clients_override =
      "clients:\n" + default_client_entries() + client_entry("retired-user", "r3tired-pass", "retired-client", "not-the-secret");
  stack s(o);
  // Warm-up asks for both clients' tokens; the simulator knows only demo-client.
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_token_fetches_total{result=\"error\"}") == "1"; }));
  const std::string m = metrics_of(s);
  CHECK(metric(m, "pcbridge_token_fetches_total{result=\"ok\"}") == "1");

  const reply ready = s.admin_get("/readyz");
  CHECK(ready.status == 503);
  CHECK(ready.body == "not ready: no valid token yet for client id retired-client (token endpoint answered 400 (invalid_client))\n");
  CHECK_FALSE(contains(ready.body, "not-the-secret"));
  const reply health = s.admin_get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  // The healthy client is served all the same.
  CHECK(s.v1("GET", v1 + "/Projects").status == 200);
}

TEST_CASE("ops: after SIGTERM (or SIGINT) /readyz is 503 draining while a slow request is in flight; it completes") {
  int stop_signal = SIGTERM;
  SUBCASE("SIGTERM") { stop_signal = SIGTERM; }
  SUBCASE("SIGINT") { stop_signal = SIGINT; }
  stack_options o;
  o.admin = true;
  stack s(o);
  REQUIRE(eventually([&] { return s.admin_get("/readyz").status == 200; }));
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Projects","delay_ms":1500,"count":1})").status == 200);
  auto slow = std::async(std::launch::async, [&] { return s.v1("GET", v1 + "/Projects"); });
  REQUIRE(eventually([&] { return s.sim_api_requests().size() == 1; }));  // upstream has it

  s.signal(stop_signal);
  reply ready;
  CHECK(eventually([&] { return (ready = s.admin_get("/readyz")).status == 503; }));
  CHECK(ready.body == "not ready: draining\n");
  CHECK(metric(metrics_of(s), "pcbridge_draining") == "1");
  CHECK(s.admin_get("/healthz").status == 200);
  CHECK(slow.wait_for(0ms) == std::future_status::timeout);  // still in flight while draining

  const reply r = slow.get();
  CHECK(r.status == 200);
  CHECK(contains(r.body, "<ProjectsResponse " + v1_ns));
  CHECK(s.wait_exit(5s) == 0);
}

// --- 2. metrics ---

TEST_CASE("ops: /metrics counts a known sequence exactly and never shows a secret") {
  stack_options o;
  o.admin = true;
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1_as(user, "wrong-pass-9137", "GET", v1 + "/Projects").status == 401);
  REQUIRE(s.v1("GET", "/foo").status == 404);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);  // from the metadata cache

  const reply r = s.admin_get("/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = r.body;
  CHECK(samples(m, "pcbridge_requests_total") == std::vector<std::string>{
                                                     "pcbridge_requests_total{method=\"-\",status=\"404\"} 1",
                                                     "pcbridge_requests_total{method=\"GetForms\",status=\"200\"} 2",
                                                     "pcbridge_requests_total{method=\"GetProjects\",status=\"200\"} 2",
                                                     "pcbridge_requests_total{method=\"GetProjects\",status=\"401\"} 1",
                                                 });
  CHECK(samples(m, "pcbridge_upstream_requests_total") ==
        std::vector<std::string>{
            "pcbridge_upstream_requests_total{method=\"GetForms\",status=\"200\"} 1",
            "pcbridge_upstream_requests_total{method=\"GetProjects\",status=\"200\"} 2",
        });
  // Upstream latency by V1 method; request durations by V1 method and status class.
  CHECK(metric(m, "pcbridge_upstream_latency_seconds_count{method=\"GetForms\"}") == "1");
  CHECK(metric(m, "pcbridge_upstream_latency_seconds_count{method=\"GetProjects\"}") == "2");
  CHECK(metric(m, "pcbridge_request_duration_seconds_count{method=\"-\",status_class=\"4xx\"}") == "1");
  CHECK(metric(m, "pcbridge_request_duration_seconds_count{method=\"GetForms\",status_class=\"2xx\"}") == "2");
  CHECK(metric(m, "pcbridge_request_duration_seconds_count{method=\"GetProjects\",status_class=\"2xx\"}") == "2");
  CHECK(metric(m, "pcbridge_request_duration_seconds_count{method=\"GetProjects\",status_class=\"4xx\"}") == "1");
  CHECK(metric(m, "pcbridge_request_duration_seconds_bucket{method=\"GetProjects\",status_class=\"2xx\",le=\"+Inf\"}") ==
        "2");
  // A token is held for the one configured client id; process_* families are served.
  const std::string token_age = metric(m, "pcbridge_token_age_seconds{client_id=\"" + sim_client_id + "\"}");
  CHECK_MESSAGE(std::regex_match(token_age, std::regex("[0-9]|[1-5][0-9]")), token_age);  // fetched at start, seconds ago
  CHECK(metric(m, "process_open_fds") != "(absent)");
  CHECK(metric(m, "process_start_time_seconds") != "(absent)");
  CHECK(metric(m, "pcbridge_cache_requests_total{cache=\"metadata\",result=\"hit\"}") == "1");
  CHECK(metric(m, "pcbridge_cache_requests_total{cache=\"metadata\",result=\"coalesced\"}") == "0");
  CHECK(metric(m, "pcbridge_token_fetches_total{result=\"ok\"}") == "1");
  CHECK(metric(m, "pcbridge_token_fetches_total{result=\"error\"}") == "0");
  CHECK(samples(m, "pcbridge_upstream_operations_total") ==
        std::vector<std::string>{"pcbridge_upstream_operations_total{api_key=\"" + demo_key_fingerprint + "\"} 3"});
  CHECK(metric(m, "pcbridge_draining") == "0");
  CHECK(metric(m, "pcbridge_config_reloads_total{result=\"ok\"}") == "0");
  CHECK(metric(m, "pcbridge_config_reloads_total{result=\"error\"}") == "0");
  // One sample, with the git revision when built from a checkout (build_info.hpp).
  const auto build_info = samples(m, "pcbridge_build_info");
  REQUIRE(build_info.size() == 1);
  CHECK_MESSAGE(std::regex_match(build_info[0], std::regex(R"(pcbridge_build_info\{(revision="[0-9a-f]{12}(-dirty)?",)?version="0\.1\.0"\} 1)")),
                build_info[0]);
  // The simulator agrees on the operations.
  CHECK(s.sim_stats()["operations"][sim_api_key] == 3);

  std::vector<std::string> secrets = configured_secrets();
  secrets.push_back("wrong-pass-9137");
  for (const auto& token : issued_tokens(s)) secrets.push_back(token);
  REQUIRE(secrets.size() == configured_secrets().size() + 1 + 3);
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK_FALSE(contains(m, secret));
  }
}

TEST_CASE("ops: only metadata methods count as metadata cache lookups; GetProjects is not one") {
  stack_options o;
  o.admin = true;
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);
  const std::string m = metrics_of(s);
  // metadata_cache_ttl_s covers GetPrograms/GetForms/GetFormSchema/GetStatusList only: one
  // GetForms miss, one GetForms hit; the two GetProjects never looked in that cache.
  CHECK(metric(m, "pcbridge_cache_requests_total{cache=\"metadata\",result=\"miss\"}") == "1");
  CHECK(metric(m, "pcbridge_cache_requests_total{cache=\"metadata\",result=\"hit\"}") == "1");
}

TEST_CASE("ops: pcbridge_queue_length shows a request waiting for its turn in the rate gate") {
  stack_options o;
  o.admin = true;
  o.rate_window_ms = 1500;
  o.extra_upstream_config = "  operations_per_minute: 1\n  burst: 1\n";
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects?limit=1").status == 200);  // takes the window's only slot
  auto queued = std::async(std::launch::async, [&] { return s.v1("GET", v1 + "/Projects?limit=2"); });
  // The second request waits about 1.75 s for the next slot; meanwhile the gauge must say so.
  const bool seen = eventually(
      [&] { return metric(metrics_of(s), "pcbridge_queue_length{api_key=\"" + demo_key_fingerprint + "\"}") == "1"; },
      1200ms);
  CHECK(seen);
  CHECK(s.sim_api_requests().size() == 1);  // it was indeed still waiting
  CHECK(queued.get().status == 200);
  CHECK(metric(metrics_of(s), "pcbridge_queue_length{api_key=\"" + demo_key_fingerprint + "\"}") == "0");
}

// --- 3. usage report ---

TEST_CASE("ops: /admin/usage reports each user's V1 methods with counts, errors and an ISO-8601 last_seen") {
  stack_options o;
  o.admin = true;
  stack s(o);
  const auto started = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Projects/NOSUCHPROJ01/Forms/" + form + "/Data").status == 404);  // upstream 404
  REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
  REQUIRE(s.v1_as(user, "wrong-pass", "GET", v1 + "/Projects").status == 401);  // not authenticated: user "-"
  REQUIRE(s.v1("GET", "/foo").status == 404);  // outside /Services.svc/v1: method "-"
  const auto finished = std::chrono::system_clock::now();

  const reply r = s.admin_get("/admin/usage");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.header("cache-control") == "no-store");

  // Every last_seen is UTC ISO-8601 to the second, within this test's run.
  const std::regex stamp(R"re("last_seen":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")re");
  int stamps = 0;
  for (std::sregex_iterator it(r.body.begin(), r.body.end(), stamp), end; it != end; ++it, ++stamps) {
    const std::string text = (*it)[1].str();
    CAPTURE(text);
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    REQUIRE(std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &sec) == 6);
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                           std::chrono::day{static_cast<unsigned>(d)}};
    REQUIRE(date.ok());
    REQUIRE((h < 24 && mi < 60 && sec < 60));
    const std::chrono::sys_seconds when =
        std::chrono::sys_days{date} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec};
    CHECK(when >= started);
    CHECK(when <= finished);
  }
  CHECK(stamps == 5);
  std::string without_stamps = std::regex_replace(r.body, stamp, R"("last_seen":"T")");
  without_stamps = std::regex_replace(without_stamps, std::regex(R"re("first_seen":"[0-9T:Z-]{20}")re"), R"("first_seen":"T")");
  without_stamps = std::regex_replace(without_stamps, std::regex(R"re("daily":\{"\d{4}-\d{2}-\d{2}":)re"), R"("daily":{"D":)");
  // Errors by class; calls per UTC day (one day here, unless the test runs across midnight).
  CHECK(without_stamps ==
        R"({"retention_days":90,"clients":[)"
        R"({"user":"-","methods":[{"method":"-","count":1,"errors":1,"errors_4xx":1,"errors_5xx":0,"first_seen":"T","last_seen":"T","daily":{"D":1}},)"
        R"({"method":"GetProjects","count":1,"errors":1,"errors_4xx":1,"errors_5xx":0,"first_seen":"T","last_seen":"T","daily":{"D":1}}]},)"
        R"({"user":"admin-user","methods":[{"method":"GetForms","count":1,"errors":0,"errors_4xx":0,"errors_5xx":0,"first_seen":"T","last_seen":"T","daily":{"D":1}}]},)"
        R"({"user":"legacy-user","methods":[{"method":"GetProjectData","count":1,"errors":1,"errors_4xx":1,"errors_5xx":0,"first_seen":"T","last_seen":"T","daily":{"D":1}},)"
        R"({"method":"GetProjects","count":2,"errors":0,"errors_4xx":0,"errors_5xx":0,"first_seen":"T","last_seen":"T","daily":{"D":2}}]}]})");
}

// --- 4. SIGHUP reload ---

TEST_CASE("ops: SIGHUP applies a valid config in place; an invalid one is refused, every error logged, old config kept") {
  stack_options o;
  o.admin = true;
  stack s(o);
  const int pid = s.proxy_pid();
  REQUIRE(pid > 0);
  REQUIRE(s.v1_as("new-user", "n3w-pass", "GET", v1 + "/Forms").status == 401);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  s.clear_sim_requests();

  // A new client and GetProjects switched off.
  const std::string changed =
      with_client(read_file(s.config_path()), client_entry("new-user", "n3w-pass", sim_client_id, sim_client_secret)) +
      "routes:\n  GetProjects: { mode: reject }\n";
  s.rewrite_config(changed);
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "1"; }));
  CHECK(contains(s.proxy_output(), "config reloaded from " + s.config_path() + " (4 clients)"));

  const std::string rejected =
      "V1 method GetProjects is switched off on this gateway (routes.GetProjects.mode: reject); call the V2 API instead";
  const reply fresh_user = s.v1_as("new-user", "n3w-pass", "GET", v1 + "/Forms");  // same port as before
  CHECK(fresh_user.status == 200);
  CHECK(contains(fresh_user.body, "<FormsResponse " + v1_ns));
  check_v1_error(s.v1("GET", v1 + "/Projects"), 501, rejected);
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);  // the new user's GetForms only
  CHECK(api[0]["target"] == v2 + "/Forms");
  CHECK(header(api[0], "x-apikey") == sim_api_key);
  CHECK(s.proxy_pid() == pid);  // no restart

  // An invalid file: two unknown keys, on lines 1 and the last.
  std::string invalid = changed;
  const std::string listen_line = "listen: { address: 127.0.0.1, port: 0 }";
  REQUIRE(invalid.rfind(listen_line, 0) == 0);
  invalid.replace(0, listen_line.size(), "listen: { address: 127.0.0.1, port: 0, backlog: 5 }");
  invalid += "no_such_section: 1\n";
  const auto last_line = std::count(invalid.begin(), invalid.end(), '\n');
  s.rewrite_config(invalid);
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"error\"}") == "1"; }));
  const std::string m = metrics_of(s);
  CHECK(metric(m, "pcbridge_config_reloads_total{result=\"ok\"}") == "1");
  const std::string log = s.proxy_output();
  CHECK(contains(log, " error config reload failed; keeping the running configuration:\n"));
  CHECK(contains(log, " error " + s.config_path() + ":1: listen.backlog: unknown key"));
  CHECK(contains(log, " error " + s.config_path() + ":" + std::to_string(last_line) + ": no_such_section: unknown key"));
  CHECK(count_of(log, " error " + s.config_path() + ":") == 2);

  // Still running, on the last good config.
  CHECK(s.proxy_pid() == pid);
  check_v1_error(s.v1("GET", v1 + "/Projects"), 501, rejected);
  CHECK(s.v1_as("new-user", "n3w-pass", "GET", v1 + "/Forms").status == 200);
  CHECK(s.admin_get("/readyz").status == 200);
}

TEST_CASE("ops: SIGHUP adding a client fetches its token at once, so /readyz is 200 again within seconds") {
  stack_options o;
  o.admin = true;
  o.sim_clients = {"second-client:second-secret:second-key"};
  stack s(o);
  REQUIRE(eventually([&] { return s.admin_get("/readyz").status == 200; }));
  s.rewrite_config(with_client(read_file(s.config_path()), "  - user: second-user\n    password: s2cond-pass\n"
                                                           "    client_id: second-client\n"
                                                           "    client_secret: second-secret\n"
                                                           "    api_key: second-key\n"));
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "1"; }));

  // As at start-up: a token for every configured client, not only after the periodic check
  // (every 10 s) or the new client's first request. Until then a load balancer sees 503.
  const auto second_token_request = [&] {
    for (const auto& r : s.sim_requests())
      if (r["target"] == "/connect/token" && contains(r["body"].get<std::string>(), "client_id=second-client"))
        return true;
    return false;
  };
  CHECK(eventually(second_token_request, 3s));
  reply ready;
  CHECK(eventually([&] { return (ready = s.admin_get("/readyz")).status == 200; }, 3s));
  CHECK(ready.body == "ready\n");

  const reply r = s.v1_as("second-user", "s2cond-pass", "GET", v1 + "/Forms");
  CHECK(r.status == 200);
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(header(api[0], "x-apikey") == "second-key");
}

// --- 5. SIGTERM drain ---

TEST_CASE("ops: SIGTERM with five slow requests in flight: all answered 200, new connections refused, exit 0") {
  stack_options o;
  o.admin = true;
  stack s(o);
  constexpr int n = 5;
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Projects","delay_ms":800,"count":5})").status == 200);
  // Distinct targets: identical GETs in flight would share one upstream call.
  auto replies = std::async(std::launch::async, [&] {
    return run_concurrently(n, [&](int i) { return s.v1("GET", v1 + "/Projects?limit=" + std::to_string(i + 1)); });
  });
  REQUIRE(eventually([&] { return s.sim_api_requests().size() == n; }));

  s.signal(SIGTERM);
  REQUIRE(eventually([&] { return s.admin_get("/readyz").body == "not ready: draining\n"; }));
  CHECK(connect_refused(s.proxy_port()));

  const auto done = replies.get();
  for (int i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(done[i].r.status == 200);
    CHECK(contains(done[i].r.body, "<ProjectsResponse " + v1_ns));
  }
  CHECK(s.wait_exit(5s) == 0);
  const std::string log = s.proxy_output();
  CHECK(contains(log, " info pcbridge draining: 5 requests in flight\n"));
  CHECK(contains(log, " info pcbridge stopped\n"));
  CHECK_FALSE(contains(log, "drain timeout"));
  CHECK(count_of(log, " status=200 ") == n);
}

TEST_CASE("ops: SIGTERM while a request waits in the rate gate: it still gets its turn and its 200") {
  stack_options o;
  o.admin = true;
  o.rate_window_ms = 1500;
  o.extra_upstream_config = "  operations_per_minute: 1\n  burst: 1\n";
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects?limit=1").status == 200);  // takes the window's only slot
  const auto sent = std::chrono::steady_clock::now();
  auto queued = std::async(std::launch::async, [&] { return s.v1("GET", v1 + "/Projects?limit=2"); });
  // Nothing tells from outside that it has reached the gate (the queue gauge does not move,
  // see the queue_length case); it needs far less than 300 ms on loopback, its turn is ~1.75 s away.
  std::this_thread::sleep_for(300ms);
  REQUIRE(s.sim_api_requests().size() == 1);

  s.signal(SIGTERM);
  REQUIRE(eventually([&] { return s.admin_get("/readyz").body == "not ready: draining\n"; }));
  CHECK(connect_refused(s.proxy_port()));
  const reply r = queued.get();
  CHECK(r.status == 200);
  CHECK(std::chrono::steady_clock::now() - sent >= 1400ms);  // it did wait for its turn
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 2);
  CHECK(api[1]["target"] == v2 + "/Projects?limit=2");
  CHECK(s.wait_exit(5s) == 0);
  CHECK(contains(s.proxy_output(), " info pcbridge draining: 1 requests in flight\n"));
}

TEST_CASE("ops: SIGTERM: a request still running at drain_timeout_ms is cut off; exit 0 all the same, logged") {
  stack_options o;
  o.extra_config = "drain_timeout_ms: 300\n";
  stack s(o);
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Projects","delay_ms":2500,"count":1})").status == 200);
  auto slow = std::async(std::launch::async, [&] { return s.v1("GET", v1 + "/Projects"); });
  REQUIRE(eventually([&] { return s.sim_api_requests().size() == 1; }));
  const auto signalled = std::chrono::steady_clock::now();
  s.signal(SIGTERM);
  CHECK(s.wait_exit(5s) == 0);
  const auto took = std::chrono::steady_clock::now() - signalled;
  CHECK(took >= 250ms);   // it did wait for the request...
  CHECK(took < 1500ms);   // ...but not for the upstream's 2.5 s
  CHECK(slow.get().status == 0);  // the connection went away unanswered
  const std::string log = s.proxy_output();
  CHECK(contains(log, " info pcbridge draining: 1 requests in flight\n"));
  CHECK(contains(log, " warn drain timeout: 1 requests still running are cut off\n"));
  CHECK(contains(log, " info pcbridge stopped\n"));
}

TEST_CASE("ops: SIGTERM: an 8 MiB answer finished during the drain reaches a client that reads it late, whole") {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  stack_options o;
  o.admin = true;
  stack s(o);
  const std::string project = "PRJ3D4R5F6T7";
  const std::string big(8 * 1024 * 1024, 'x');
  const std::string set_body = "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + project + "\" FormId=\"" +
                               form + "\"><DataFields><DataField DataFieldId=\"DF7METERNO07\" Value=\"" + big +
                               "\"/></DataFields></Project></ProjectDataRequest>";
  const std::string data_target = v1 + "/Projects/" + project + "/Forms/" + form + "/Data";
  REQUIRE(s.v1("POST", data_target, set_body).status == 200);
  s.clear_sim_requests();
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Draft/Data","method":"GET","delay_ms":500,"count":1})").status ==
          200);

  // A client with a small receive window that sends its request and reads nothing yet.
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.open(asio::ip::tcp::v4());
  socket.set_option(asio::socket_base::receive_buffer_size(4096));
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(s.proxy_port())});
  http::request<http::string_body> req{http::verb::get, data_target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, basic(user, password));
  http::write(socket, req);
  REQUIRE(eventually([&] {
    for (const auto& r : s.sim_api_requests())
      if (r["target"] == v2 + "/Projects/" + project + "/Forms/" + form + "/Draft/Data") return true;
    return false;
  }));

  s.signal(SIGTERM);
  // The handler finishes ~0.5 s later; its answer is far larger than the socket buffers.
  s.wait_exit(1500ms);  // whether pcbridge is still there is not the point; the bytes are
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  CHECK(ec.message() == "Success");
  REQUIRE(parser.is_header_done());
  CHECK(parser.get().result_int() == 200);
  const std::string length(parser.get()[http::field::content_length]);
  REQUIRE_FALSE(length.empty());
  CHECK(parser.get().body().size() == std::stoull(length));  // every byte announced arrived
  CHECK(contains(parser.get().body(), "Value=\"" + big + "\""));
  CHECK(s.wait_exit(5s) == 0);
}

// --- 6. staged cutover ---

TEST_CASE("ops: routes.GetProjects.mode reject answers 501 naming the method; nothing goes upstream") {
  stack_options o;
  o.extra_config = "routes:\n  GetProjects: { mode: reject }\n";
  stack s(o);
  check_v1_error(s.v1("GET", v1 + "/Projects"), 501,
                 "V1 method GetProjects is switched off on this gateway (routes.GetProjects.mode: reject); call the "
                 "V2 API instead");
  CHECK(s.sim_requests().empty());
  // Other methods are translated as before.
  CHECK(s.v1("GET", v1 + "/Forms").status == 200);
  CHECK(s.sim_api_requests().size() == 1);
}

TEST_CASE("ops: native_v2 forwards /services/v2 calls with the token swap; path, query and bodies unchanged") {
  stack_options o;
  o.extra_config = "native_v2: { enabled: true }\n";
  stack s(o);
  const std::string target = v2 + "/Forms?include=all&note=a%2Bb";
  const reply r = s.v1("GET", target, {}, {{"X-Request-Id", "native-1"}});
  REQUIRE(r.status == 200);
  CHECK(r.header("x-request-id") == "native-1");

  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["method"] == "GET");
  CHECK(api[0]["target"] == target);
  const std::string bearer = header(api[0], "authorization");
  CHECK(bearer.rfind("Bearer ", 0) == 0);
  CHECK(bearer.size() > 20);
  CHECK(header(api[0], "x-apikey") == sim_api_key);
  CHECK(header(api[0], "x-request-id") == "native-1");

  // The same call made directly: byte for byte the answer the client got.
  const reply direct = send(s.sim_port(), "GET", target, {{"Authorization", bearer}, {"X-ApiKey", sim_api_key}});
  REQUIRE(direct.status == 200);
  CHECK(r.body == direct.body);
  CHECK(r.header("content-type") == direct.header("content-type"));
  CHECK(json::parse(r.body).is_object());

  // A write: the JSON body reaches upstream as sent, whitespace included.
  s.clear_sim_requests();
  const std::string body = "{ \"Project\" : {\"DataFields\":[ {\"DataFieldId\":\"DF7METERNO07\",\"Value\":\"M-77\"} ]} }";
  const reply w = s.v1("POST", v2 + "/Projects/PRJ3D4R5F6T7/Forms/" + form + "/Draft/Data", body,
                       {{"Content-Type", "application/json"}});
  CHECK(w.status == 200);
  CHECK(w.header("content-type") == "application/json; charset=utf-8");  // the simulator's
  api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["body"] == body);
  CHECK(header(api[0], "content-type") == "application/json");

  // Wrong Basic credentials: pcbridge's own 401, as problem+json, nothing upstream.
  s.clear_sim_requests();
  const reply denied = s.v1_as(user, "wrong-pass", "GET", target);
  CHECK(denied.status == 401);
  CHECK(denied.header("content-type") == "application/problem+json");
  CHECK(json::parse(denied.body)["status"] == 401);
  CHECK(s.sim_requests().empty());
}

TEST_CASE("ops: without native_v2, /services/v2 paths are 404 and reach nobody") {
  stack s;
  const reply r = s.v1("GET", v2 + "/Forms");
  CHECK(r.status == 404);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(s.sim_requests().empty());
}

// --- 7. TLS ---

TEST_CASE("ops: TLS listener serves V1 over HTTPS, refuses plain HTTP, and SIGHUP rotates the certificate") {
  const std::string certs = make_temp_dir();
  const cert_pair first = make_self_signed(certs, "first");
  const cert_pair second = make_self_signed(certs, "second");
  // The listener reads these two paths; rotation replaces the files under them.
  const std::string cert_file = certs + "/tls.crt", key_file = certs + "/tls.key";
  std::filesystem::copy_file(first.cert, cert_file);
  std::filesystem::copy_file(first.key, key_file);
  const cert_id first_id = certificate_file_id(first.cert), second_id = certificate_file_id(second.cert);
  REQUIRE_FALSE(first_id.sha256.empty());
  REQUIRE_FALSE(first_id.serial.empty());
  REQUIRE(first_id.sha256 != second_id.sha256);

  stack_options o;
  o.admin = true;
  o.listen_override = "listen:\n  address: 127.0.0.1\n  port: 0\n  tls:\n    cert_file: " + cert_file +
                      "\n    key_file: " + key_file + "\n";
  stack s(o);
  const header_list auth = {{"Authorization", basic(user, password)}};

  tls_reply secure = send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth);
  CHECK(secure.error == "");
  CHECK(secure.r.status == 200);
  CHECK(contains(secure.r.body, "<ProjectsResponse " + v1_ns));
  CHECK(secure.peer == first_id);
  CHECK(contains(s.proxy_output(), "pcbridge listening on https://127.0.0.1:" + std::to_string(s.proxy_port())));

  // The client really verifies: the not yet used certificate is no trust anchor for this one.
  const tls_reply untrusted = send_tls(s.proxy_port(), second.cert, "GET", v1 + "/Projects", auth);
  CHECK(untrusted.r.status == 0);
  CHECK(contains(untrusted.error, "handshake"));

  // Plain HTTP on the TLS port gets no HTTP answer.
  const reply plain = send(s.proxy_port(), "GET", v1 + "/Projects", auth);
  CHECK(plain.status == 0);

  // Rotation: new files under the same paths, then SIGHUP.
  std::filesystem::copy_file(second.cert, cert_file, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(second.key, key_file, std::filesystem::copy_options::overwrite_existing);
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "1"; }));
  const tls_reply rotated = send_tls(s.proxy_port(), second.cert, "GET", v1 + "/Projects", auth);
  CHECK(rotated.error == "");
  CHECK(rotated.r.status == 200);
  CHECK(rotated.peer == second_id);
  CHECK_FALSE(rotated.peer == first_id);
  std::filesystem::remove_all(certs);
}

TEST_CASE("ops: SIGHUP with an unusable certificate keeps serving the old one and counts a failed reload") {
  const std::string certs = make_temp_dir();
  const cert_pair first = make_self_signed(certs, "first");
  const std::string cert_file = certs + "/tls.crt", key_file = certs + "/tls.key";
  std::filesystem::copy_file(first.cert, cert_file);
  std::filesystem::copy_file(first.key, key_file);
  stack_options o;
  o.admin = true;
  o.listen_override = "listen:\n  address: 127.0.0.1\n  port: 0\n  tls:\n    cert_file: " + cert_file +
                      "\n    key_file: " + key_file + "\n";
  stack s(o);
  const header_list auth = {{"Authorization", basic(user, password)}};
  REQUIRE(send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth).r.status == 200);

  write_file(cert_file, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"error\"}") == "1"; }));
  CHECK(metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "0");
  CHECK(contains(s.proxy_output(), " error config reload failed; keeping the running configuration: cannot use "
                                   "listen.tls.cert_file " + cert_file));
  const tls_reply still = send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth);
  CHECK(still.error == "");
  CHECK(still.r.status == 200);
  CHECK(still.peer == certificate_file_id(first.cert));
  std::filesystem::remove_all(certs);
}

TEST_CASE("ops: plain HTTP on a non-loopback address is refused at start (exit 3, names listen.address) unless allowed") {
  const std::string dir = make_temp_dir();
  const std::string config = dir + "/open.yaml";
  write_file(config,
             "listen: { address: 0.0.0.0, port: 0 }\n"
             "upstream:\n"
             "  base_url: http://127.0.0.1:9\n"
             "  token_url: http://127.0.0.1:9/connect/token\n"
             "clients:\n" +
                 client_entry(user, password, sim_client_id, sim_client_secret));
  child_process refused({binary_path("pcbridge"), "--config", config, "--port-file", dir + "/port"},
                        dir + "/out.log");
  CHECK(refused.wait(5s) == 3);  // exit_bad_config
  const std::string out = read_file(dir + "/out.log");
  CHECK(contains(out, config + ":1: listen.address: a non-loopback address needs listen.tls"));
  CHECK(read_file(dir + "/port").empty());  // it never listened
  std::filesystem::remove_all(dir);

  stack_options o;
  o.listen_override = "listen: { address: 0.0.0.0, port: 0, allow_plaintext: true }\n";
  stack s(o);
  CHECK(contains(s.proxy_output(), " warn listen.allow_plaintext: Basic credentials reach this listener unencrypted"));
  CHECK(contains(s.proxy_output(), "pcbridge listening on http://0.0.0.0:" + std::to_string(s.proxy_port())));
  CHECK(s.v1("GET", v1 + "/Projects").status == 200);
}

// --- 8. JSON logs ---

TEST_CASE("ops: log.format json: every line of a run is a JSON object; access lines are complete; no secret or token") {
  stack_options o;
  o.admin = true;
  o.log_json = true;
  stack s(o);
  const reply ok = s.v1("GET", v1 + "/Projects");
  REQUIRE(ok.status == 200);
  REQUIRE(s.v1_as(user, "wrong-pass-5521", "GET", v1 + "/Projects").status == 401);
  REQUIRE(s.v1("GET", "/foo").status == 404);
  REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
  // A reload that fails logs errors too; then a drain.
  s.rewrite_config(read_file(s.config_path()) + "no_such_section: 1\n");
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"error\"}") == "1"; }));
  const std::vector<std::string> tokens = issued_tokens(s);
  REQUIRE(tokens.size() == 2);
  s.signal(SIGTERM);
  REQUIRE(s.wait_exit(5s) == 0);

  const std::string output = s.proxy_output();
  const auto lines = lines_of(output);
  REQUIRE(lines.size() >= 8);  // listening, 4 access, 2 reload errors, draining, stopped
  std::vector<json> access;
  for (const auto& line : lines) {
    CAPTURE(line);
    const json j = json::parse(line, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j["ts"].is_string());
    CHECK(j["level"].is_string());
    if (j.value("event", "") == "access") access.push_back(j);
  }
  REQUIRE(access.size() == 4);
  for (const auto& a : access) {
    CAPTURE(a.dump());
    CHECK(a["request_id"].is_string());
    CHECK_FALSE(a["request_id"].get<std::string>().empty());
    CHECK(a["v1_method"].is_string());
    CHECK(a["status"].is_number_integer());
  }
  CHECK(access[0]["request_id"] == ok.header("x-request-id"));
  CHECK(access[0]["v1_method"] == "GetProjects");
  CHECK(access[0]["status"] == 200);
  CHECK(access[0]["user"] == user);
  CHECK(access[1]["status"] == 401);
  CHECK(access[1]["user"] == "-");
  CHECK(access[2]["v1_method"] == "-");
  CHECK(access[2]["status"] == 404);
  CHECK(access[3]["v1_method"] == "GetForms");
  CHECK(access[3]["user"] == admin_user);
  CHECK(contains(output, "no_such_section: unknown key"));

  std::vector<std::string> secrets = configured_secrets();
  secrets.push_back("wrong-pass-5521");
  secrets.insert(secrets.end(), tokens.begin(), tokens.end());
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK_FALSE(contains(output, secret));
  }
}
