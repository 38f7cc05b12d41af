#pragma once
// The deterministic world the simulator starts from (and returns to on /__sim/reset).
// README.md lists the ids; tests rely on them.
#include "tools/sim/sim_model.hpp"

namespace pcbridge::sim {

sim_store make_seed_store();

}  // namespace pcbridge::sim
