// End-to-end: what an operator relies on, part 1. The admin listener: /healthz and /readyz,
// /metrics, /admin/usage. (test_ops_reload_drain.cpp: SIGHUP and SIGTERM;
// test_ops_cutover_tls_logs.cpp: cutover switches, TLS, plaintext guard, JSON logs.)
// Every case asserts exact values; waits poll with a bound.
#include <doctest/doctest.h>

#include "e2e/operations_support.hpp"

using namespace e2e;
using namespace e2e::ops;
using nlohmann::json;
using namespace std::chrono_literals;

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
  one_operation_per_window(o, 1500);
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
