// Two pcbridge instances sharing one API key keep within one quota together when their
// pacing state lives in Redis (rate_limit.backend: redis), and do not without it.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "e2e/redis_process.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string v1_projects = "/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects";
constexpr int quota = 10;
constexpr int window_ms = 2000;

stack_options quota_options(const std::string& rate_limit_yaml) {
  stack_options o;
  o.ops_per_minute = quota;
  o.rate_window_ms = window_ms;
  o.extra_upstream_config = "  operations_per_minute: " + std::to_string(quota) + "\n  burst: 5\n";
  o.extra_config = rate_limit_yaml;
  return o;
}

// `per_instance` requests to each of the two pcbridge ports at once; the statuses seen.
std::vector<int> burst_through(int port_a, int port_b, int per_instance) {
  std::vector<int> statuses(2 * per_instance);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2 * per_instance; ++i) {
    threads.emplace_back([&, i] {
      const int port = i % 2 == 0 ? port_a : port_b;
      statuses[i] = send(port, "GET", v1_projects + "?limit=" + std::to_string(1 + i),
                         {{"Authorization", basic(user, password)}})
                        .status;
    });
  }
  for (auto& t : threads) t.join();
  return statuses;
}

int second_instance_port(const stack& s, child_process*& out, std::unique_ptr<child_process>& holder) {
  const std::string dir = make_temp_dir();
  holder = std::make_unique<child_process>(
      std::vector<std::string>{binary_path("pcbridge"), "--config", s.config_path(), "--port-file",
                               dir + "/b.port"},
      dir + "/b.log");
  out = holder.get();
  return wait_for_port_file(dir + "/b.port", std::chrono::seconds(10));
}

}  // namespace

TEST_CASE("shared quota: two instances with the Redis backend stay within one quota together") {
  redis_process redis;
  stack s(quota_options("rate_limit: { backend: redis, redis_url: redis://127.0.0.1:" + std::to_string(redis.port) +
                        "/0 }\n"));
  child_process* b = nullptr;
  std::unique_ptr<child_process> holder;
  const int port_b = second_instance_port(s, b, holder);
  REQUIRE(port_b > 0);

  auto statuses = burst_through(s.proxy_port(), port_b, quota);  // 2x the quota in one burst
  for (int status : statuses) CHECK(status == 200);
  auto stats = s.sim_stats();
  CHECK(stats["rejected_429"] == 0);
  CHECK(stats["max_ops_in_window"]["demo-key"].get<int>() <= quota);
  CHECK(stats["operations"]["demo-key"].get<int>() == 2 * quota);
  b->stop(SIGTERM, std::chrono::seconds(5));
}

TEST_CASE("shared quota: without Redis the same two instances overrun the quota (what Redis prevents)") {
  stack s(quota_options(""));
  child_process* b = nullptr;
  std::unique_ptr<child_process> holder;
  const int port_b = second_instance_port(s, b, holder);
  REQUIRE(port_b > 0);

  auto statuses = burst_through(s.proxy_port(), port_b, quota);
  for (int status : statuses) CHECK(status == 200);  // upstream 429s are waited out and retried
  CHECK(s.sim_stats()["rejected_429"].get<int>() > 0);
  b->stop(SIGTERM, std::chrono::seconds(5));
}
