// How well pcbridge uses an API key's quota under saturation, against the V2 simulator:
// a short window (default 20 operations per 2 s in both), more demand than the quota from
// concurrent clients for ~10 s, then it prints
//   - operations that reached upstream / operations the quota allows in the elapsed time
//     (utilisation), and the most the simulator saw in any one window;
//   - upstream 429s (the simulator's rejected_429) and what the clients got;
//   - queue-wait percentiles: pcbridge's own access-log duration_ms of each request minus
//     its unloaded duration (the median of a few calls made before the load, when the key
//     had quota to spare), so what is left is the time spent waiting for a turn.
// Not a test: it prints figures and exits 0 unless the stack cannot start.
//   bench_quota [--seconds 10] [--clients 16] [--quota 20] [--window-ms 2000] [--burst 5]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/stack.hpp"

using namespace e2e;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

const std::string v1_projects = "/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects";

struct settings {
  int seconds = 10;
  int clients = 16;
  int quota = 20;
  int window_ms = 2000;
  int burst = 5;
};

settings parse_args(int argc, char** argv) {
  settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (value <= 0) continue;
    if (name == "--seconds") s.seconds = value;
    if (name == "--clients") s.clients = value;
    if (name == "--quota") s.quota = value;
    if (name == "--window-ms") s.window_ms = value;
    if (name == "--burst") s.burst = value;
  }
  return s;
}

double percentile(std::vector<long long> sorted, double p) {
  if (sorted.empty()) return 0;
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return static_cast<double>(sorted[std::min(rank, sorted.size() - 1)]);
}

// duration_ms of pcbridge's access-log lines whose request id starts with `prefix`.
std::vector<long long> access_durations(const std::string& log, const std::string& prefix) {
  std::vector<long long> out;
  const std::regex line_re("access rid=" + prefix + "\\S* .* status=200 .*duration_ms=([0-9]+)");
  std::istringstream in(log);
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, line_re)) out.push_back(std::stoll(m[1]));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const settings cfg = parse_args(argc, argv);
  stack_options o;
  o.ops_per_minute = cfg.quota;
  o.rate_window_ms = cfg.window_ms;
  o.timeout_ms = 10000;
  o.extra_upstream_config = "  operations_per_minute: " + std::to_string(cfg.quota) + "\n  burst: " +
                            std::to_string(cfg.burst) + "\n  max_queue: 100000\n  max_wait_ms: 600000\n";
  stack s(o);

  // Unloaded: a few calls while the key has quota to spare (fewer than the burst).
  const int unloaded_calls = std::max(1, std::min(3, cfg.burst - 1));
  for (int i = 0; i < unloaded_calls; ++i)
    s.v1("GET", v1_projects + "?limit=1", {}, {{"X-Request-Id", "unloaded-" + std::to_string(i)}});
  const auto unloaded = access_durations(s.proxy_output(), "unloaded-");
  const double base_ms = percentile(unloaded, 50);
  const long long ops_before = s.sim_stats()["operations"].value(sim_api_key, 0LL);

  std::printf("bench_quota: quota %d per %d ms (pcbridge and simulator), burst %d, %d clients, %d s of saturation\n",
              cfg.quota, cfg.window_ms, cfg.burst, cfg.clients, cfg.seconds);

  std::atomic<long long> sent{0};
  std::mutex m;
  std::map<int, long long> client_statuses;
  const auto start = steady::now();
  const auto stop_sending = start + std::chrono::seconds(cfg.seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < cfg.clients; ++c)
    threads.emplace_back([&, c] {
      std::map<int, long long> mine;
      for (int n = 0; steady::now() < stop_sending; ++n) {
        // Distinct targets: identical GETs in flight would be coalesced into one operation.
        const std::string target = v1_projects + "?limit=" + std::to_string(1 + (c * 997 + n) % 1000);
        auto r = s.v1("GET", target, {}, {{"X-Request-Id", "sat-" + std::to_string(c) + "-" + std::to_string(n)}});
        ++sent;
        ++mine[r.status];
      }
      std::lock_guard lock(m);
      for (auto [status, count] : mine) client_statuses[status] += count;
    });
  for (auto& t : threads) t.join();
  const auto elapsed = steady::now() - start;

  const auto stats = s.sim_stats();
  const long long ops = stats["operations"].value(sim_api_key, 0LL) - ops_before;
  const long long max_in_window = stats["max_ops_in_window"].value(sim_api_key, 0LL);
  const long long rejected = stats.value("rejected_429", 0LL);
  const double elapsed_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const double allowed = cfg.quota * elapsed_ms / cfg.window_ms;

  std::vector<long long> waits;
  for (long long d : access_durations(s.proxy_output(), "sat-"))
    waits.push_back(std::max(0LL, d - static_cast<long long>(base_ms + 0.5)));

  std::printf("elapsed: %.0f ms (%.2f windows)\n", elapsed_ms, elapsed_ms / cfg.window_ms);
  std::printf("client requests: %lld; answers:", sent.load());
  for (auto [status, count] : client_statuses) std::printf(" %d x%lld", status, count);
  std::printf("\n");
  std::printf("operations upstream: %lld of %.1f allowed at the quota's rate -> utilisation %.1f%%\n", ops, allowed,
              allowed > 0 ? 100.0 * static_cast<double>(ops) / allowed : 0.0);
  std::printf("most operations in one window (simulator): %lld (quota %d)\n", max_in_window, cfg.quota);
  std::printf("upstream 429s: %lld\n", rejected);
  std::printf("queue wait (access-log duration_ms - unloaded %.0f ms), %zu requests: p50 %.0f ms, p90 %.0f ms, "
              "p99 %.0f ms, max %.0f ms\n",
              base_ms, waits.size(), percentile(waits, 50), percentile(waits, 90), percentile(waits, 99),
              percentile(waits, 100));
  return 0;
}
