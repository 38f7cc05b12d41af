// /admin/status (proxy/admin_status.hpp): the dashboard's JSON, field by field.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "proxy/admin_status.hpp"
#include "proxy/metrics.hpp"
#include "translators/route_table.hpp"

using namespace pcbridge::proxy;
using json = nlohmann::json;
using std::chrono::hours;
using std::chrono::seconds;

namespace {

const std::chrono::sys_seconds t0{seconds{1796205600}};  // 2026-12-02T10:00:00Z

pcbridge::config::client_config client(std::string user, std::string id, std::optional<std::string> key) {
  pcbridge::config::client_config c;
  c.user = std::move(user);
  c.client_id = std::move(id);
  c.client_secret = "secret-of-" + c.client_id;
  c.api_key = std::move(key);
  return c;
}

pair_usage calls(std::uint64_t n, std::chrono::sys_seconds last, std::uint64_t errors_5xx = 0) {
  pair_usage u;
  u.calls = n;
  u.errors_5xx = errors_5xx;
  u.first_seen = last;
  u.last_seen = last;
  u.daily[day_number(last)] = n;
  return u;
}

struct status_fixture {
  pcbridge::config::config cfg;
  usage_data usage;
  quota_history quota;
  upstream_error_ring errors;

  status_fixture() {
    cfg.clients = {client("alice", "cid-a", "key-alice-0001"), client("bob", "cid-b", std::nullopt)};
    cfg.routes["GetStatusList"] = pcbridge::config::route_mode::reject;
    usage.pairs[{"alice", "GetProjects"}] = calls(3, t0 - hours(1), 1);
    usage.pairs[{"bob", "GetProjects"}] = calls(2, t0 - hours(24 * 3));
    usage.pairs[{"bob", "GetStatusList"}] = calls(2, t0 - hours(24 * 45));
    usage.pairs[{"alice", "NativeV2"}] = calls(1, t0 - hours(2));
    usage.pairs[{"-", "-"}] = calls(5, t0 - hours(2));
    quota.count_operation("key-alice-0001", t0 - seconds(30));
    quota.count_operation("key-alice-0001", t0 - seconds(20));
    quota.count_operation("bobs-own-key-77", t0 - seconds(10));
    quota.set_queue_length("bobs-own-key-77", 2, t0);
    errors.add(upstream_error{t0 - seconds(5), 503, "GetProjects", "alice", "upstream: busy for key-alice-0001"},
               {"key-alice-0001"});
    errors.add(upstream_error{t0 - seconds(1), 0, "GetPrograms", "bob", "upstream timeout"}, {});
  }

  json render() const {
    status_inputs in{t0, cfg, usage, quota, errors, [](const pcbridge::config::client_config& c) {
                       if (c.user == "alice") return token_health{true, seconds(600), seconds(3000), ""};
                       return token_health{false, std::nullopt, std::nullopt, "token endpoint answered 401 invalid_client"};
                     }};
    return json::parse(render_status_json(in));
  }
};

json method_row(const json& doc, const std::string& name) {
  for (const auto& m : doc["methods"])
    if (m["method"] == name) return m;
  return nullptr;
}

}  // namespace

TEST_CASE("admin status: the document's members, in order") {
  const json doc = status_fixture().render();
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) keys.push_back(k);
  // nlohmann::json sorts keys; the rendered text keeps the documented order.
  const status_fixture f;
  const usage_data no_usage;
  const quota_history no_quota;
  const upstream_error_ring no_errors;
  const std::string text = render_status_json(status_inputs{t0, f.cfg, no_usage, no_quota, no_errors, {}});
  CHECK(text.rfind(R"({"generated_at":"2026-12-02T10:00:00Z","today":"2026-12-02","quiet_after_days":30,"methods":[)",
                   0) == 0);
  CHECK(keys == std::vector<std::string>{"generated_at", "methods", "quiet_after_days", "quota", "today", "tokens",
                                         "upstream_errors"});
}

TEST_CASE("admin status: methods with route mode, totals and in use / quiet / unused") {
  const json doc = status_fixture().render();
  CHECK(method_row(doc, "GetProjects") == json::parse(R"({"method":"GetProjects","mode":"translate","calls":5,
        "clients":2,"last_seen":"2026-12-02T09:00:00Z","days_since_last_call":0,"state":"in_use"})"));
  CHECK(method_row(doc, "GetStatusList") == json::parse(R"({"method":"GetStatusList","mode":"reject","calls":2,
        "clients":1,"last_seen":"2026-10-18T10:00:00Z","days_since_last_call":45,"state":"quiet"})"));
  CHECK(method_row(doc, "CreateMfaSessionToken") == json::parse(R"({"method":"CreateMfaSessionToken",
        "mode":"unavailable","calls":0,"clients":0,"last_seen":null,"days_since_last_call":null,"state":"unused"})"));
  CHECK(method_row(doc, "GetPrograms")["state"] == "unused");
  // Route-table order, Generic last among them; then methods only the usage report knows.
  const json& methods = doc["methods"];
  CHECK(methods.front()["method"] == "GetPrograms");
  CHECK(methods.back() == json::parse(R"({"method":"NativeV2","mode":"-","calls":1,"clients":1,
        "last_seen":"2026-12-02T08:00:00Z","days_since_last_call":0,"state":"in_use"})"));
  CHECK(methods[methods.size() - 2]["method"] == "Generic");
  CHECK(method_row(doc, "-") == nullptr);  // requests no route matched are not a method
  CHECK(methods.size() == static_cast<std::size_t>(pcbridge::translators::method_count) + 1);
}

TEST_CASE("admin status: quiet_after_days moves the boundary (the day count, not hours)") {
  status_fixture f;
  status_inputs in{t0, f.cfg, f.usage, f.quota, f.errors, {}, 3};
  const json doc = json::parse(render_status_json(in));
  CHECK(doc["quiet_after_days"] == 3);
  CHECK(method_row(doc, "GetStatusList")["state"] == "quiet");
  CHECK(method_row(doc, "GetProjects")["state"] == "in_use");  // bob 3 days ago, alice today
  usage_data only_bob;
  only_bob.pairs[{"bob", "GetProjects"}] = calls(2, t0 - hours(24 * 3));
  status_inputs three_days{t0, f.cfg, only_bob, f.quota, f.errors, {}, 3};
  CHECK(method_row(json::parse(render_status_json(three_days)), "GetProjects")["state"] == "quiet");
}

TEST_CASE("admin status: quota per key by fingerprint, configured keys listed even when idle") {
  status_fixture f;
  const json doc = f.render();
  json keys = json::array();
  // Sorted by fingerprint.
  const std::string alice = api_key_fingerprint("key-alice-0001"), own = api_key_fingerprint("bobs-own-key-77");
  const json alice_row = {{"api_key", alice}, {"clients", {"alice"}}, {"operations_last_hour", 2}, {"queue_length", 0}};
  const json own_row = {{"api_key", own}, {"clients", json::array()}, {"operations_last_hour", 1}, {"queue_length", 2}};
  if (alice < own) keys = {alice_row, own_row};
  else keys = {own_row, alice_row};
  CHECK(doc["quota"] == json{{"scope", "this instance"}, {"operations_per_hour", 3600}, {"max_queue", 1000},
                             {"keys", keys}});
  f.quota = quota_history{};
  CHECK(f.render()["quota"]["keys"] == json::array({{{"api_key", alice}, {"clients", {"alice"}},
                                                     {"operations_last_hour", 0}, {"queue_length", 0}}}));
  f.cfg.upstream.operations_per_minute = 10;
  f.cfg.upstream.rate_window_ms = 30000;
  CHECK(f.render()["quota"]["operations_per_hour"] == 1200);
}

TEST_CASE("admin status: token health per configured client, never the token") {
  const json doc = status_fixture().render();
  CHECK(doc["tokens"] == json::parse(R"([
    {"user":"alice","client_id":"cid-a","state":"valid","age_s":600,"expires_in_s":3000,"last_error":""},
    {"user":"bob","client_id":"cid-b","state":"failing","age_s":null,"expires_in_s":null,
     "last_error":"token endpoint answered 401 invalid_client"}])"));
  status_fixture f;
  status_inputs none{t0, f.cfg, f.usage, f.quota, f.errors, {}};
  CHECK(json::parse(render_status_json(none))["tokens"][0]["state"] == "missing");
}

TEST_CASE("admin status: recent upstream errors, newest first, scrubbed; no secret anywhere") {
  status_fixture f;
  const json doc = f.render();
  CHECK(doc["upstream_errors"] == json::parse(R"({"total":2,"capacity":20,"recent":[
    {"time":"2026-12-02T09:59:59Z","status":null,"method":"GetPrograms","user":"bob","message":"upstream timeout"},
    {"time":"2026-12-02T09:59:55Z","status":503,"method":"GetProjects","user":"alice","message":"upstream: busy for ***"}]})"));
  const std::string text = doc.dump();
  for (const char* secret : {"key-alice-0001", "bobs-own-key-77", "secret-of-cid-a", "secret-of-cid-b"}) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
}
