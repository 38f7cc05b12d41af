#include <doctest/doctest.h>

#include <vector>

#include "proxy/pacing.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {

// Starts as many operations as `pacing` allows, each as early as allowed, from `t0`.
std::vector<pacing::time_point> run_burst(pacing& p, int count, pacing::time_point t0) {
  std::vector<pacing::time_point> starts;
  for (int i = 0; i < count; ++i) {
    auto t = p.earliest_start(t0);
    p.record_start(t);
    starts.push_back(t);
  }
  return starts;
}

int max_in_any_window(const std::vector<pacing::time_point>& starts, std::chrono::milliseconds window) {
  int best = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    int n = 0;
    for (std::size_t j = i; j < starts.size() && starts[j] < starts[i] + window; ++j) ++n;
    best = std::max(best, n);
  }
  return best;
}

const pacing::time_point t0 = pacing::time_point{} + 100h;

}  // namespace

TEST_CASE("pacing: a burst is spread at window/limit after the allowed burst") {
  pacing p(60, 60s, 5, 0ms);
  auto starts = run_burst(p, 10, t0);
  for (int i = 0; i < 5; ++i) CHECK(starts[i] == t0);          // burst of 5 back-to-back
  CHECK(starts[5] == t0 + 1s);                                  // then one per second
  CHECK(starts[9] == t0 + 5s);
}

TEST_CASE("pacing: never more than the limit in any window, whatever the burst") {
  pacing p(10, 60s, 10, 250ms);
  auto starts = run_burst(p, 30, t0);
  CHECK(max_in_any_window(starts, 60s) == 10);
  CHECK(starts[10] >= starts[0] + 60s + 250ms);  // the 11th waits for the 1st to leave the window
  CHECK(starts[29] - t0 < 180s);
}

TEST_CASE("pacing: a quiet key starts at once") {
  pacing p(60, 60s, 1, 0ms);
  p.record_start(t0);
  CHECK(p.earliest_start(t0 + 10s) == t0 + 10s);
  CHECK(p.earliest_start(t0 + 500ms) == t0 + 1s);
}

TEST_CASE("pacing: an upstream 429 pauses the key until Retry-After") {
  pacing p(60, 60s, 5, 0ms);
  p.pause_until(t0 + 7s);
  CHECK(p.earliest_start(t0) == t0 + 7s);
  p.pause_until(t0 + 3s);  // an earlier pause never shortens a later one
  CHECK(p.earliest_start(t0) == t0 + 7s);
  CHECK(p.earliest_start(t0 + 8s) == t0 + 8s);
}

TEST_CASE("pacing: starts_in_window counts the sliding window") {
  pacing p(5, 10s, 5, 0ms);
  run_burst(p, 5, t0);
  CHECK(p.starts_in_window(t0) == 5);
  CHECK(p.starts_in_window(t0 + 10s) == 0);
  CHECK(p.earliest_start(t0 + 1s) == t0 + 10s);
}
