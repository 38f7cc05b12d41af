// End-to-end: upstream faults injected in the simulator (/__sim/faults, token endpoint
// failures, expired tokens, a dead base URL). Each case asserts what the V1 client got and
// how many times the call reached upstream: reads may be repeated, writes never are unless
// upstream said it did not process them (401, 429).
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {




// No quota in the simulator and plenty in pcbridge: these cases are about faults, not pacing.
stack_options fault_options(int timeout_ms = 3000) {
  stack_options o;
  o.timeout_ms = timeout_ms;
  o.extra_upstream_config = "  operations_per_minute: 6000\n  burst: 100\n";
  return o;
}

void inject(const stack& s, const std::string& fault_json) {
  REQUIRE(s.sim_post("/__sim/faults", fault_json).status / 100 == 2);
}

// The API requests the simulator saw with this method and target.
std::vector<json> calls_to(const stack& s, const std::string& method, const std::string& v2_target) {
  std::vector<json> out;
  for (auto& r : s.sim_api_requests())
    if (r["method"] == method && r["target"] == v2_target) out.push_back(r);
  return out;
}

struct write_case {
  std::string name;        // V1 method
  std::string v1_target;
  std::string body;
  std::string v2_target;   // the POST that carries the write
};

std::vector<write_case> writes() {
  const std::string project = "/Projects/" + draft_project + "/Forms/" + form;
  return {
      {"CreateNewProject", v1 + "/NewProject", "", v2 + "/NewProject"},
      {"SetProjectData", v1 + project + "/Data",
       "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + draft_project + "\" FormId=\"" + form +
           "\"><DataFields><DataField DataFieldId=\"DF4UTILITY04\" Value=\"City Light\"/></DataFields></Project>"
           "</ProjectDataRequest>",
       v2 + project + "/Draft/Data"},
      {"SubmitProject", v1 + project + "/Submit", "", v2 + project + "/Draft/Submit"},
  };
}

}  // namespace

TEST_CASE("resilience: an upstream 429 with Retry-After: 1 is waited out, for every caller on the key, then the call succeeds") {
  stack s(fault_options());
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);  // token and connection ready
  s.clear_sim_requests();
  inject(s, R"({"match":"/Projects","method":"GET","status":429,"headers":{"Retry-After":"1"},"count":1})");

  auto replies = run_concurrently(2, [&](int i) -> reply {
    if (i == 0) return s.v1("GET", v1 + "/Projects");
    // The second caller arrives once upstream has answered the first with 429.
    for (int polls = 0; polls < 500 && calls_to(s, "GET", v2 + "/Projects").empty(); ++polls)
      std::this_thread::sleep_for(milliseconds(5));
    return s.v1("GET", v1 + "/Projects?limit=1");
  });
  CHECK(replies[0].r.status == 200);
  CHECK(replies[1].r.status == 200);
  CHECK(replies[0].took() >= milliseconds(950));
  CHECK(replies[0].took() < milliseconds(5000));
  CHECK(replies[1].done - replies[0].sent >= milliseconds(950));  // the key was paused for it too

  auto first = calls_to(s, "GET", v2 + "/Projects");
  REQUIRE(first.size() == 2);
  CHECK(first[0]["status"] == 429);
  CHECK(first[1]["status"] == 200);
  CHECK(calls_to(s, "GET", v2 + "/Projects?limit=1").size() == 1);
}

TEST_CASE("resilience: a write refused with 429 is sent again (upstream did not process it) and done once") {
  stack s(fault_options());
  inject(s, R"({"match":"/NewProject","status":429,"headers":{"Retry-After":"1"},"count":1})");
  auto r = s.v1("POST", v1 + "/NewProject");
  CHECK(r.status == 200);
  CHECK(contains(r.body, "PRJ000000001"));
  auto calls = calls_to(s, "POST", v2 + "/NewProject");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["status"] == 429);
  CHECK(calls[1]["status"] == 200);
}

TEST_CASE("resilience: after the tokens expire, concurrent requests share one token fetch") {
  stack s(fault_options());
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.sim_stats()["token_fetches"] == 1);
  REQUIRE(s.sim_post("/__sim/tokens/expire", "{}").status / 100 == 2);
  s.clear_sim_requests();

  constexpr int clients = 6;
  auto replies = run_concurrently(clients, [&](int i) { return s.v1("GET", v1 + "/Projects?limit=" + std::to_string(i + 1)); });
  for (const auto& t : replies) CHECK(t.r.status == 200);
  CHECK(s.sim_stats()["token_fetches"] == 2);
  int rejected = 0, answered = 0;
  for (auto& r : s.sim_api_requests()) (r["status"] == 401 ? rejected : answered)++;
  CHECK(rejected <= clients);  // each caller at most once with the old token
  CHECK(answered == clients);
}

TEST_CASE("resilience: a 401 whose token refresh fails is a 503, not a credentials error") {
  stack s(fault_options());
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.sim_post("/__sim/tokens/expire", "{}").status / 100 == 2);
  REQUIRE(s.sim_post("/__sim/token_endpoint", R"({"fail":1,"status":500})").status / 100 == 2);
  auto r = s.v1("GET", v1 + "/Projects");
  check_v1_error(r, 503);
  CHECK(contains(r.body, "no access token could be obtained"));
  CHECK(r.header("www-authenticate").empty());
  CHECK(s.sim_stats()["token_fetches"] == 2);
}

TEST_CASE("resilience: a write answered 500 reaches upstream once and the 500 is passed through") {
  for (const auto& w : writes()) {
    CAPTURE(w.name);
    stack s(fault_options());
    inject(s, R"({"match":")" + w.v2_target + R"(","method":"POST","status":500,"count":1})");
    auto r = s.v1("POST", w.v1_target, w.body);
    check_v1_error(r, 500);
    CHECK(contains(r.body, "Message=\"upstream: "));
    CHECK(calls_to(s, "POST", w.v2_target).size() == 1);
  }
}

TEST_CASE("resilience: a write whose connection drops after processing reaches upstream once; outcome unknown") {
  for (const auto& w : writes()) {
    CAPTURE(w.name);
    stack s(fault_options());
    inject(s, R"({"match":")" + w.v2_target + R"(","method":"POST","drop":true,"after_processing":true,"count":1})");
    auto r = s.v1("POST", w.v1_target, w.body, {{"X-Request-Id", "write-" + w.name}});
    check_v1_error(r, 502);
    CHECK(contains(r.body, "The outcome of this " + w.name + " write is unknown"));
    CHECK(contains(r.body, "request id write-" + w.name));
    auto calls = calls_to(s, "POST", w.v2_target);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["dropped"] == true);
  }
  // The dropped CreateNewProject was applied, once.
  stack s(fault_options());
  inject(s, R"({"match":"/NewProject","drop":true,"after_processing":true,"count":1})");
  check_v1_error(s.v1("POST", v1 + "/NewProject"), 502);
  auto projects = s.v1("GET", v1 + "/Projects");
  CHECK(contains(projects.body, "PRJ000000001"));
  CHECK_FALSE(contains(projects.body, "PRJ000000002"));
}

TEST_CASE("resilience: a write whose connection drops before an answer is not repeated either") {
  stack s(fault_options());
  inject(s, R"({"match":"/NewProject","drop":true,"count":1})");
  auto r = s.v1("POST", v1 + "/NewProject");
  check_v1_error(r, 502);
  CHECK(contains(r.body, "The outcome of this CreateNewProject write is unknown"));
  CHECK(calls_to(s, "POST", v2 + "/NewProject").size() == 1);
}

TEST_CASE("resilience: an idempotent GET answered 503 once is retried and succeeds") {
  stack s(fault_options());
  inject(s, R"({"match":"/Projects","method":"GET","status":503,"count":1})");
  auto r = s.v1("GET", v1 + "/Projects");
  CHECK(r.status == 200);
  auto calls = calls_to(s, "GET", v2 + "/Projects");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["status"] == 503);
  CHECK(calls[1]["status"] == 200);
}

TEST_CASE("resilience: a GET whose connection drops is retried and succeeds") {
  stack s(fault_options());
  inject(s, R"({"match":"/Projects","method":"GET","drop":true,"count":1})");
  auto r = s.v1("GET", v1 + "/Projects");
  CHECK(r.status == 200);
  auto calls = calls_to(s, "GET", v2 + "/Projects");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["dropped"] == true);
  CHECK(calls[1]["dropped"] == false);
}

TEST_CASE("resilience: a slow upstream is a 504 near timeout_ms and is not retried") {
  stack s(fault_options(500));
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);
  inject(s, R"({"match":"/Projects","delay_ms":3000,"count":2})");

  auto started = steady::now();
  auto r = s.v1("GET", v1 + "/Projects");
  auto took = steady::now() - started;
  check_v1_error(r, 504);
  CHECK(contains(r.body, "upstream did not answer within 500 ms"));
  CHECK(took >= milliseconds(450));
  CHECK(took < milliseconds(2000));
  CHECK(calls_to(s, "GET", v2 + "/Projects").size() == 1);

  // A slow write: the same, and the client is told it may have been applied.
  inject(s, R"({"match":"/NewProject","delay_ms":3000,"count":1})");
  started = steady::now();
  auto w = s.v1("POST", v1 + "/NewProject");
  took = steady::now() - started;
  check_v1_error(w, 504);
  CHECK(contains(w.body, "The outcome of this CreateNewProject write is unknown"));
  CHECK(took < milliseconds(2000));
  CHECK(calls_to(s, "POST", v2 + "/NewProject").size() == 1);
}

TEST_CASE("resilience: an upstream that is down gives a quick 502; a write is not reported as unknown") {
  stack_options o = fault_options();
  o.base_url_override = "http://127.0.0.1:1";  // tokens still come from the simulator
  stack s(o);
  auto started = steady::now();
  auto r = s.v1("GET", v1 + "/Projects");
  CHECK(steady::now() - started < milliseconds(2000));
  check_v1_error(r, 502);
  CHECK(contains(r.body, "upstream unreachable"));

  started = steady::now();
  auto w = s.v1("POST", v1 + "/NewProject");
  CHECK(steady::now() - started < milliseconds(2000));
  check_v1_error(w, 502);
  CHECK(contains(w.body, "upstream unreachable"));
  CHECK_FALSE(contains(w.body, "unknown"));  // nothing was sent
  CHECK(s.sim_api_requests().empty());
}

TEST_CASE("resilience: a token endpoint that refuses gives quick 503s and nothing reaches the API") {
  // The Basic credentials are the client credentials: pcbridge has no token to start with.
  stack_options o = fault_options();
  o.clients_override = "clients: []\nbasic_as_client_credentials: { enabled: true, api_key: " + sim_api_key + " }\n";
  o.token_warmup = false;
  stack s(o);
  REQUIRE(s.sim_post("/__sim/token_endpoint", R"({"fail":20,"status":500})").status / 100 == 2);
  auto replies = run_concurrently(4, [&](int i) {
    return i % 2 == 0 ? s.v1_as(sim_client_id, sim_client_secret, "GET", v1 + "/Projects?limit=" + std::to_string(i + 1))
                      : s.v1_as(sim_client_id, sim_client_secret, "POST", v1 + "/NewProject");
  });
  for (const auto& t : replies) {
    check_v1_error(t.r, 503);
    CHECK(contains(t.r.body, "no access token could be obtained"));
    CHECK(t.took() < milliseconds(2000));
  }
  CHECK(s.sim_api_requests().empty());
  CHECK(s.sim_stats()["token_fetches"] >= 1);
}
