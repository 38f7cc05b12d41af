// End-to-end: the per-API-key quota. pcbridge and the simulator share a short window
// (rate_window_ms), so bursts, queue limits and pacing show within seconds. The simulator
// is the judge: /__sim/stats says how many operations it saw per window and how many it
// had to refuse with 429.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {





// A 429 of pcbridge's own: V1 error body and a whole number of seconds in Retry-After.
void check_quota_refusal(const reply& r, const std::string& message_part) {
  check_v1_error(r, 429);
  CHECK(contains(r.body, message_part));
  const std::string retry_after = r.header("retry-after");
  REQUIRE_FALSE(retry_after.empty());
  CHECK(std::all_of(retry_after.begin(), retry_after.end(), [](unsigned char c) { return std::isdigit(c); }));
  CHECK(std::stoi(retry_after) >= 1);
}

// The same quota in the simulator and in pcbridge: `quota` operations per `window_ms`.
stack_options quota_options(int quota, int window_ms, int burst, const std::string& more = {}) {
  stack_options o;
  o.ops_per_minute = quota;
  o.rate_window_ms = window_ms;
  o.extra_upstream_config = "  operations_per_minute: " + std::to_string(quota) + "\n  burst: " + std::to_string(burst) +
                            "\n" + more;
  return o;
}

// GetProjects is never cached; distinct targets keep identical GETs from being coalesced.
std::string distinct_projects_target(int i) { return v1 + "/Projects?limit=" + std::to_string(i + 1); }

// Basic credentials that are the client credentials: pcbridge fetches no token at start.
void use_passthrough_credentials(stack_options& o) {
  o.clients_override = "clients: []\nbasic_as_client_credentials: { enabled: true, api_key: " + sim_api_key + " }\n";
  o.token_warmup = false;
}

// Sends a request and closes the connection without waiting for the answer.
void send_and_hang_up(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  CHECK(::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  ::close(fd);
}

long long ops_of_key(const json& stats) { return stats["operations"].value(sim_api_key, 0LL); }
long long max_in_window(const json& stats) { return stats["max_ops_in_window"].value(sim_api_key, 0LL); }

}  // namespace

TEST_CASE("quota: a burst of three times the quota is paced: all 200, no upstream 429, never over the quota") {
  constexpr int quota = 10, window_ms = 2000, clients = 3 * quota;
  stack s(quota_options(quota, window_ms, 5));
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);  // the token, fetched before the burst
  s.clear_sim_requests();

  // Client i sends 30 ms after client i-1, faster than the quota drains, so a queue builds.
  auto replies = run_concurrently(
      clients,
      [&](int i) {
        return s.v1("GET", distinct_projects_target(i), {}, {{"X-Request-Id", "burst-" + std::to_string(i)}});
      },
      milliseconds(30));

  for (int i = 0; i < clients; ++i) {
    CAPTURE(i);
    CHECK(replies[i].r.status == 200);
  }
  const json stats = s.sim_stats();
  CHECK(stats["rejected_429"] == 0);
  CHECK(max_in_window(stats) <= quota);
  CHECK(ops_of_key(stats) == clients + 1);

  // 31 operations at 10 per window need more than two windows, whatever the order.
  const auto elapsed = replies.back().done - replies.front().sent;
  CHECK(elapsed >= milliseconds(2 * window_ms - 200));
  CHECK(elapsed < milliseconds(20000));

  // FIFO: callers reach upstream in the order they arrived; only callers admitted in the
  // same instant (at most a burst) may overtake each other on their way to the simulator.
  const json api = s.sim_api_requests();
  REQUIRE(api.size() == static_cast<std::size_t>(clients));
  std::map<std::string, int> position;
  for (int p = 0; p < clients; ++p) position[header(api[p], "x-request-id")] = p;
  for (int i = 0; i < clients; ++i) {
    CAPTURE(i);
    const auto it = position.find("burst-" + std::to_string(i));
    REQUIRE(it != position.end());
    CHECK(std::abs(it->second - i) <= 5);
  }
  // And the wait grows along the queue: the last third waited longer than the first third.
  auto mean_took = [&](int from, int to) {
    long long sum = 0;
    for (int i = from; i < to; ++i) sum += replies[i].took().count();
    return sum / (to - from);
  };
  CHECK(mean_took(2 * quota, clients) > mean_took(0, quota) + window_ms / 2);
}

TEST_CASE("quota: a full queue answers 429 with Retry-After and a V1 error at once; nothing extra goes upstream") {
  // One operation per second (2 per 2 s), no burst, at most 2 callers waiting.
  stack s(quota_options(2, 2000, 1, "  max_queue: 2\n"));
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);  // takes the slot; the next is a second away

  auto replies = run_concurrently(6, [&](int i) { return s.v1("GET", distinct_projects_target(i)); });

  int ok = 0, refused = 0;
  for (const auto& t : replies) {
    if (t.r.status == 200) {
      ++ok;
      continue;
    }
    ++refused;
    check_quota_refusal(t.r, "too many requests are waiting for this API key");
    CHECK(t.took() < milliseconds(700));  // refused on arrival, not after a wait
  }
  CHECK(ok == 2);
  CHECK(refused == 4);
  const json stats = s.sim_stats();
  CHECK(ops_of_key(stats) == 1 + ok);
  CHECK(s.sim_api_requests().size() == static_cast<std::size_t>(1 + ok));
  CHECK(stats["rejected_429"] == 0);
}

TEST_CASE("quota: a wait that would pass max_wait_ms is answered 429 at once") {
  SUBCASE("the queue ahead is too long") {
    // One operation per second, max_wait 500 ms: the second call in a row cannot make it.
    stack s(quota_options(2, 2000, 1, "  max_wait_ms: 500\n"));
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    const auto started = steady::now();
    auto r = s.v1("GET", v1 + "/Projects?limit=2");
    CHECK(steady::now() - started < milliseconds(400));
    check_quota_refusal(r, "would pass upstream.max_wait_ms");
    CHECK(ops_of_key(s.sim_stats()) == 1);
  }
  SUBCASE("the window is full, though the queue is empty") {
    // A burst of 2 uses the whole quota: the next slot is a window (plus margin) away,
    // longer than max_wait, though one pacing interval (1 s) alone would fit.
    stack s(quota_options(2, 2000, 2, "  max_wait_ms: 1500\n"));
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    REQUIRE(s.v1("GET", v1 + "/Projects?limit=2").status == 200);
    const auto started = steady::now();
    auto r = s.v1("GET", v1 + "/Projects?limit=3");
    CHECK(steady::now() - started < milliseconds(700));
    check_quota_refusal(r, "would pass upstream.max_wait_ms");
    CHECK(std::stoi(r.header("retry-after")) >= 2);  // when the window frees, not one interval
    CHECK(ops_of_key(s.sim_stats()) == 2);
  }
}

TEST_CASE("quota: schema fetches and read-modify-write reads wait their turn like every operation") {
  // Three operations per window: SetProjectData with a partial multi-instance field takes
  // all three (form schema, current values, the write), so the next call must wait.
  constexpr int quota = 3, window_ms = 2000;
  stack s(quota_options(quota, window_ms, quota));
  const std::string body = "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + draft_project + "\" FormId=\"" +
                           form + "\"><DataFields><DataField DataFieldId=\"DF3DATES0003\" Instance=\"1\" "
                           "Value=\"2024-05-01\"/></DataFields></Project></ProjectDataRequest>";
  const auto started = steady::now();
  auto set = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data", body);
  CHECK(set.status == 200);
  auto after = s.v1("GET", v1 + "/Projects");
  const auto elapsed = steady::now() - started;
  CHECK(after.status == 200);

  const json api = s.sim_api_requests();
  REQUIRE(api.size() == 4);
  CHECK(api[0]["target"] == v2 + "/Forms/" + form + "/Schema");
  CHECK(api[1]["method"] == "GET");
  CHECK(api[1]["target"] == v2 + "/Projects/" + draft_project + "/Forms/" + form + "/Draft/Data");
  CHECK(api[2]["method"] == "POST");
  CHECK(api[3]["target"] == v2 + "/Projects");
  for (const auto& r : api) CHECK(r["status"] == 200);

  const json stats = s.sim_stats();
  CHECK(stats["rejected_429"] == 0);  // had pcbridge not counted the schema and the read, this would be 1
  CHECK(max_in_window(stats) <= quota);
  CHECK(elapsed >= milliseconds(window_ms - 100));
}

TEST_CASE("quota: token calls take nothing from the quota") {
  // Two operations per window, burst 2: a failed token call, a token fetch and two
  // operations all go through at once. The Basic credentials are the client credentials,
  // so pcbridge has no token before the first request (nothing to fetch at start-up).
  stack_options o = quota_options(2, 2000, 2);
  use_passthrough_credentials(o);
  stack s(o);
  REQUIRE(s.sim_post("/__sim/token_endpoint", R"({"fail":1,"status":500})").status / 100 == 2);
  const auto started = steady::now();
  check_v1_error(s.v1_as(sim_client_id, sim_client_secret, "GET", v1 + "/Projects"), 503);
  CHECK(s.sim_api_requests().empty());
  // After a failed fetch pcbridge waits a second before it asks the token endpoint again.
  reply r;
  for (int attempt = 0; attempt < 100; ++attempt) {
    r = s.v1_as(sim_client_id, sim_client_secret, "GET", v1 + "/Projects?limit=2");
    if (r.status != 503) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  CHECK(r.status == 200);
  const auto first_operation = steady::now();
  CHECK(s.v1_as(sim_client_id, sim_client_secret, "GET", v1 + "/Projects?limit=3").status == 200);
  CHECK(steady::now() - first_operation < milliseconds(500));
  CHECK(steady::now() - started < milliseconds(5000));

  const json stats = s.sim_stats();
  CHECK(stats["token_fetches"] == 2);
  CHECK(ops_of_key(stats) == 2);
  CHECK(stats["rejected_429"] == 0);
}

TEST_CASE("quota: a request whose client hung up before its turn takes no operation") {
  // One operation per window. Both requests wait for a slow token fetch; the second
  // client hangs up meanwhile, so when the token comes only the first may use the quota.
  stack_options o = quota_options(1, 2000, 1);
  use_passthrough_credentials(o);
  stack s(o);
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/connect/token","delay_ms":600,"count":1})").status / 100 == 2);

  const std::string hang_up_request = "GET " + v1 + "/Projects?limit=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " +
                                      basic(sim_client_id, sim_client_secret) +
                                      "\r\nX-Request-Id: gone-client\r\n\r\n";
  auto replies = run_concurrently(2, [&](int i) {
    if (i == 1) {
      send_and_hang_up(s.proxy_port(), hang_up_request);
      return reply{};
    }
    return s.v1_as(sim_client_id, sim_client_secret, "GET", v1 + "/Projects?limit=1");
  });
  CHECK(replies[0].r.status == 200);

  // pcbridge logs the abandoned request once it is done with it.
  bool logged = false;
  for (int polls = 0; polls < 400 && !logged; ++polls) {
    logged = contains(s.proxy_output(), "rid=gone-client");
    if (!logged) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(logged);
  CHECK(ops_of_key(s.sim_stats()) == 1);
  const json api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["target"] == v2 + "/Projects?limit=1");
}
