#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <openssl/sha.h>

#include "proxy/admin_handler.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {

string_request make_request(http::verb verb, std::string target, unsigned version = 11) {
  string_request req{verb, target, version};
  req.set(http::field::host, "localhost");
  return req;
}

// Fixed process_* values: /metrics is compared with a second render, and /proc/self (CPU
// time, RSS) moves between two reads.
metrics fixed_process_metrics() {
  metrics m;
  m.set_process_sampler([] {
    process_sample p;
    p.cpu_seconds = 2.5;
    p.resident_bytes = 4096;
    return p;
  });
  return m;
}

struct admin_fixture {
  metrics stats = fixed_process_metrics();
  usage_report usage;
  readiness state{true, ""};
  admin_sources sources{stats, usage, [this] { return state; }};

  string_response get(http::verb verb, std::string target, unsigned version = 11) {
    return handle_admin(make_request(verb, std::move(target), version), sources).response;
  }
};

}  // namespace

TEST_CASE("admin: GET /healthz") {
  admin_fixture f;
  auto res = f.get(http::verb::get, "/healthz");
  CHECK(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "text/plain");
  CHECK(res[http::field::cache_control] == "no-store");
  CHECK(res[http::field::content_length] == "3");
  CHECK(res.body() == "ok\n");
  f.state = {false, "draining"};  // liveness does not depend on readiness
  CHECK(f.get(http::verb::get, "/healthz").result_int() == 200);
}

TEST_CASE("admin: GET /readyz, ready and not ready") {
  admin_fixture f;
  auto ready = f.get(http::verb::get, "/readyz");
  CHECK(ready.result_int() == 200);
  CHECK(ready[http::field::content_type] == "text/plain");
  CHECK(ready.body() == "ready\n");

  f.state = {false, "draining"};
  auto draining = f.get(http::verb::get, "/readyz");
  CHECK(draining.result_int() == 503);
  CHECK(draining[http::field::content_type] == "text/plain");
  CHECK(draining.body() == "not ready: draining\n");

  admin_sources no_check{f.stats, f.usage, {}};
  auto unchecked = handle_admin(make_request(http::verb::get, "/readyz"), no_check).response;
  CHECK(unchecked.result_int() == 200);
  CHECK(unchecked.body() == "ready\n");
}

TEST_CASE("admin: GET /metrics serves the exposition text") {
  admin_fixture f;
  f.stats.count_request("GetProjects", 200);
  f.stats.count_upstream_operation("SECRET-KEY-123");
  auto res = f.get(http::verb::get, "/metrics");
  CHECK(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(res.body() == f.stats.render());  // the same text twice: process_* values are fixed here
  CHECK(res.body().find("\nprocess_cpu_seconds_total 2.5\n") != std::string::npos);
  CHECK(res.body().find("pcbridge_requests_total{method=\"GetProjects\",status=\"200\"} 1\n") != std::string::npos);
  CHECK(res.body().find("SECRET-KEY-123") == std::string::npos);
}

TEST_CASE("admin: GET /admin/usage serves the usage JSON") {
  admin_fixture f;
  f.usage.record("legacy-user", "GetProjects", 200,
                 std::chrono::sys_days{std::chrono::November / 27 / 2026} + 11h + 35min);
  auto res = f.get(http::verb::get, "/admin/usage");
  CHECK(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "application/json");
  CHECK(res.body() ==
        R"({"retention_days":90,"clients":[{"user":"legacy-user","methods":[{"method":"GetProjects","count":1,)"
        R"("errors":0,"errors_4xx":0,"errors_5xx":0,"first_seen":"2026-11-27T11:35:00Z",)"
        R"("last_seen":"2026-11-27T11:35:00Z","daily":{"2026-11-27":1}}]}]})");
  auto csv = f.get(http::verb::get, "/admin/usage?x=1&format=csv");
  CHECK(csv.result_int() == 200);
  CHECK(csv[http::field::content_type] == "text/csv; charset=utf-8");
  CHECK(csv.body() ==
        "user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen\r\n"
        "legacy-user,GetProjects,1,0,0,0,2026-11-27T11:35:00Z,2026-11-27T11:35:00Z\r\n");
  CHECK(f.get(http::verb::get, "/admin/usage?format=csvx")[http::field::content_type] == "application/json");
}

TEST_CASE("admin: HEAD answers GET's status and headers without a body") {
  admin_fixture f;
  f.state = {false, "no token yet"};
  for (const char* target : {"/healthz", "/readyz", "/metrics", "/admin/usage"}) {
    CAPTURE(target);
    auto got = f.get(http::verb::get, target);
    auto head = f.get(http::verb::head, target);
    CHECK(head.result_int() == got.result_int());
    CHECK(head[http::field::content_type] == got[http::field::content_type]);
    CHECK(head[http::field::content_length] == std::to_string(got.body().size()));
    CHECK(head.body().empty());
  }
}

TEST_CASE("admin: query strings are ignored") {
  admin_fixture f;
  CHECK(f.get(http::verb::get, "/healthz?verbose=1").body() == "ok\n");
  CHECK(f.get(http::verb::get, "/metrics?name[]=x").result_int() == 200);
  CHECK(f.get(http::verb::get, "/admin/usage?").result_int() == 200);
}

TEST_CASE("admin: unknown paths are 404") {
  admin_fixture f;
  // "/" is the dashboard (test_admin_dashboard.cpp).
  for (const char* target :
       {"/healthz/", "/admin", "/admin/usage/x", "/HEALTHZ", "/metricsx", "?/healthz", "/index.html"}) {
    CAPTURE(target);
    auto res = f.get(http::verb::get, target);
    CHECK(res.result_int() == 404);
    CHECK(res[http::field::content_type] == "text/plain");
    CHECK(res.body() == "not found\n");
  }
  CHECK(f.get(http::verb::post, "/nowhere").result_int() == 404);
}

TEST_CASE("admin: other verbs are 405 with Allow: GET, HEAD") {
  admin_fixture f;
  for (http::verb verb : {http::verb::post, http::verb::put, http::verb::delete_, http::verb::options}) {
    for (const char* target : {"/healthz", "/readyz", "/metrics", "/admin/usage"}) {
      CAPTURE(target);
      auto res = f.get(verb, target);
      CHECK(res.result_int() == 405);
      CHECK(res[http::field::allow] == "GET, HEAD");
      CHECK(res[http::field::content_type] == "text/plain");
      CHECK(res.body() == "method not allowed\n");
    }
  }
}

TEST_CASE("admin: answers keep the request's HTTP version and keep-alive") {
  admin_fixture f;
  auto old = f.get(http::verb::get, "/healthz", 10);
  CHECK(old.version() == 10);
  CHECK_FALSE(old.keep_alive());
  auto res = f.get(http::verb::get, "/healthz", 11);
  CHECK(res.version() == 11);
  CHECK(res.keep_alive());
}

// --- admin.token ---

namespace {

constexpr const char* admin_token = "0123456789abcdef-admin-TOKEN";

std::array<unsigned char, 32> digest_of(std::string_view text) {
  std::array<unsigned char, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
  return out;
}

string_response get_with(admin_fixture& f, http::verb verb, const std::string& target, const char* authorization) {
  string_request req = make_request(verb, target);
  if (authorization != nullptr) req.set(http::field::authorization, authorization);
  return handle_admin(req, f.sources).response;
}

}  // namespace

TEST_CASE("admin token: every route but the probes needs the bearer token") {
  admin_fixture f;
  f.sources.access.token_sha256 = digest_of(admin_token);
  f.sources.access.loopback = false;
  const std::string good = std::string("Bearer ") + admin_token;
  for (const char* target : {"/metrics", "/admin/usage", "/nowhere"}) {
    CAPTURE(target);
    for (const char* bad : {static_cast<const char*>(nullptr), "", "Bearer", "Bearer ", "Basic YWRtaW46eA==",
                            "Bearer 0123456789abcdef-admin-TOKEn", "Bearer 0123456789abcdef-admin-TOKEN2",
                            "Bearer 0123456789abcdef", "Token 0123456789abcdef-admin-TOKEN",
                            "Bearer0123456789abcdef-admin-TOKEN"}) {
      CAPTURE((bad ? bad : "(none)"));
      auto res = get_with(f, http::verb::get, target, bad);
      CHECK(res.result_int() == 401);
      CHECK(res[http::field::www_authenticate] == "Bearer realm=\"pcbridge admin\"");
      CHECK(res.body() == "unauthorized: send Authorization: Bearer <admin token>\n");
      CHECK(res.body().find(admin_token) == std::string::npos);
    }
    // A 401 for other verbs too, before 405.
    CHECK(get_with(f, http::verb::post, target, nullptr).result_int() == 401);
  }
  CHECK(get_with(f, http::verb::get, "/metrics", good.c_str()).result_int() == 200);
  CHECK(get_with(f, http::verb::get, "/admin/usage", good.c_str()).result_int() == 200);
  CHECK(get_with(f, http::verb::get, "/nowhere", good.c_str()).result_int() == 404);
  CHECK(get_with(f, http::verb::post, "/metrics", good.c_str()).result_int() == 405);
  // Scheme case-insensitive, spaces around the token ignored.
  CHECK(get_with(f, http::verb::get, "/metrics", (std::string("bearer  ") + admin_token + " ").c_str()).result_int() ==
        200);
  CHECK(get_with(f, http::verb::head, "/admin/usage", good.c_str()).result_int() == 200);
  CHECK(get_with(f, http::verb::head, "/admin/usage", nullptr).result_int() == 401);
  // The probes need nothing.
  CHECK(get_with(f, http::verb::get, "/healthz", nullptr).result_int() == 200);
  CHECK(get_with(f, http::verb::get, "/readyz", "Bearer wrong-token-wrong-token").result_int() == 200);
}

TEST_CASE("admin without a token: loopback is open, non-loopback refuses the routes that name clients") {
  admin_fixture f;
  f.usage.record("legacy-user", "GetProjects", 200, std::chrono::sys_days{std::chrono::November / 27 / 2026});
  f.sources.access.loopback = true;
  CHECK(f.get(http::verb::get, "/admin/usage").result_int() == 200);
  f.sources.access.loopback = false;
  auto refused = f.get(http::verb::get, "/admin/usage");
  CHECK(refused.result_int() == 403);
  CHECK(refused.body().find("legacy-user") == std::string::npos);
  CHECK(refused.body() ==
        "forbidden: this admin listener is not on loopback and has no admin.token, so routes that name clients are "
        "refused; set admin.token_file or admin.token_env\n");
  CHECK(f.get(http::verb::get, "/metrics").result_int() == 200);
  CHECK(f.get(http::verb::get, "/healthz").result_int() == 200);
  // No token configured: a presented bearer proves nothing but is not needed on loopback.
  f.sources.access.loopback = true;
  CHECK(get_with(f, http::verb::get, "/metrics", "Bearer anything-at-all-here").result_int() == 200);
}

TEST_CASE("bearer_matches and is_loopback_address") {
  admin_access none;
  CHECK_FALSE(bearer_matches(std::string("Bearer ") + admin_token, none));
  admin_access set{digest_of(admin_token), false};
  CHECK(bearer_matches(std::string("Bearer ") + admin_token, set));
  CHECK(bearer_matches(std::string("BEARER\t") + admin_token, set));
  CHECK_FALSE(bearer_matches(admin_token, set));
  CHECK(is_loopback_address("127.0.0.1"));
  CHECK(is_loopback_address("127.9.0.1"));
  CHECK(is_loopback_address("::1"));
  CHECK_FALSE(is_loopback_address("0.0.0.0"));
  CHECK_FALSE(is_loopback_address("::"));
  CHECK_FALSE(is_loopback_address("10.0.0.1"));
}
