// The per-API-key sliding-window operation limit and its statistics.
#include "tools/sim/sim_rate_limit.hpp"
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;
using namespace std::chrono_literals;

TEST_CASE("more than N operations in 60 s are answered 429 with Retry-After and not processed") {
  harness h(options(3));
  h.fetch_token();
  CHECK(h.api("POST", "NewProject").status == 200);  // t = 0
  h.advance(10s);
  CHECK(h.api("POST", "NewProject").status == 200);  // t = 10
  h.advance(10s);
  CHECK(h.api("POST", "NewProject").status == 200);  // t = 20
  h.advance(5s);
  auto rejected = h.api("POST", "NewProject");  // t = 25: the t = 0 operation frees a slot at t = 60
  CHECK(rejected.status == 429);
  CHECK(rejected.headers.find("Retry-After").value() == "35");
  CHECK(json::parse(rejected.body) == json::parse(R"({"title":"Too Many Requests","status":429})"));
  // The rejected create did not happen: three new projects after the three seeded ones.
  h.advance(35s);  // t = 60: the first operation has left the window
  const auto list = h.api_json("GET", "Projects");
  CHECK(list["Projects"].size() == 6);
  // That list call took the freed slot; the next one waits for the t = 10 operation.
  auto again = h.api("GET", "Projects");
  CHECK(again.status == 429);
  CHECK(again.headers.find("Retry-After").value() == "10");

  const auto stats = h.control("GET", "/__sim/stats");
  CHECK(stats["operations"] == json::parse(R"({"demo-key":4})"));
  CHECK(stats["max_ops_in_window"] == json::parse(R"({"demo-key":3})"));
  CHECK(stats["rejected_429"] == 2);
}

TEST_CASE("Retry-After rounds up and is at least one second") {
  pcbridge::sim::rate_limiter limiter(1);
  const auto t0 = pcbridge::sim::local_time(2025, 1, 1, 0, 0, 0);
  CHECK(limiter.admit("k", t0).allowed);
  auto d = limiter.admit("k", t0 + 59s + 500ms);
  CHECK_FALSE(d.allowed);
  CHECK(d.retry_after_s == 1);
  d = limiter.admit("k", t0 + 1500ms);
  CHECK(d.retry_after_s == 59);
  CHECK(limiter.admit("k", t0 + 60s).allowed);  // exactly 60 s later the slot is free
}

TEST_CASE("the window slides: a steady 1 op/s stream never exceeds 60") {
  harness h(options(60));
  h.fetch_token();
  int rejected = 0;
  for (int i = 0; i < 180; ++i) {
    if (h.api("GET", "/services/v2/Programs").status == 429) ++rejected;
    h.advance(1s);
  }
  CHECK(rejected == 0);
  const auto stats = h.control("GET", "/__sim/stats");
  CHECK(stats["max_ops_in_window"]["demo-key"] == 60);
  CHECK(stats["operations"]["demo-key"] == 180);
}

TEST_CASE("limits are per API key, and 0 disables rejection but still measures windows") {
  auto o = options(0);
  o.clients = {{"a", "sa", "key-a"}, {"b", "sb", "key-b"}};
  harness h(o);
  auto token_for = [&](const std::string& id, const std::string& secret) {
    auto r = h.fetch_token_response("grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
    return json::parse(r.body)["access_token"].get<std::string>();
  };
  h.token = token_for("a", "sa");
  h.api_key = "key-a";
  for (int i = 0; i < 100; ++i) CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  h.token = token_for("b", "sb");
  h.api_key = "key-b";
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  const auto stats = h.control("GET", "/__sim/stats");
  CHECK(stats["max_ops_in_window"] == json::parse(R"({"key-a":100,"key-b":1})"));
  CHECK(stats["rejected_429"] == 0);
}
