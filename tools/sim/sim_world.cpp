#include "tools/sim/sim_world.hpp"

#include "tools/sim/sim_seed.hpp"

#include <random>

namespace pcbridge::sim {

namespace {
sim_options with_defaults(sim_options opts) {
  if (opts.clients.empty()) opts.clients.push_back(demo_client());
  return opts;
}

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}
}  // namespace

sim_client demo_client() { return {"demo-client", "demo-secret", "demo-key"}; }

sim_world::sim_world(sim_options opts)
    : options(with_defaults(std::move(opts))),
      store(make_seed_store()),
      tokens(options.clients, options.token_ttl, options.seed.value_or(random_seed())),
      limiter(options.ops_per_minute, options.rate_window) {}

void sim_world::reset() {
  store = make_seed_store();
  tokens.reset();
  limiter.reset();
  faults.clear();
  recorder.clear();
  clock_offset = {};
  token_fetches = 0;
  token_failures_left = 0;
  token_failure_status = 500;
}

}  // namespace pcbridge::sim
