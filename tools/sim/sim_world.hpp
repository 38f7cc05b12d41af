#pragma once
// Everything the simulator remembers: the data, the tokens, the rate windows, queued
// faults, recorded requests and the clock offset. Single-threaded; the shell serialises.
#include "tools/sim/sim_faults.hpp"
#include "tools/sim/sim_model.hpp"
#include "tools/sim/sim_rate_limit.hpp"
#include "tools/sim/sim_recorder.hpp"
#include "tools/sim/sim_tokens.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace pcbridge::sim {

struct sim_options {
  int ops_per_minute = 60;               // per API key and window; 0 = no limit
  std::chrono::milliseconds rate_window{60000};  // V2 counts per minute; shorter only for tests
  std::chrono::seconds token_ttl{3600};  // v2-api.md §2.3: 60 minutes
  std::vector<sim_client> clients;       // empty: demo_client() only
  std::optional<std::uint64_t> seed;     // token randomness; fixed in tests, random otherwise
};

// demo-client / demo-secret / demo-key: what the README demo uses.
sim_client demo_client();

struct sim_world {
  explicit sim_world(sim_options opts);

  // Back to the seed data with nothing recorded, queued, issued or advanced.
  void reset();

  sim_options options;
  sim_store store;
  token_registry tokens;
  rate_limiter limiter;
  fault_queue faults;
  request_recorder recorder;
  std::chrono::nanoseconds clock_offset{0};  // added by /__sim/clock/advance
  std::uint64_t token_fetches = 0;           // every request to /connect/token
  int token_failures_left = 0;               // set by /__sim/token_endpoint
  int token_failure_status = 500;
};

}  // namespace pcbridge::sim
