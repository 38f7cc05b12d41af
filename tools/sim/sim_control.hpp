#pragma once
// The test control API under /__sim/ (no authentication; README.md documents it).
#include "tools/sim/sim_message.hpp"
#include "tools/sim/sim_url.hpp"
#include "tools/sim/sim_world.hpp"

namespace pcbridge::sim {

// `now` is the simulator's clock (wall clock plus the advanced offset).
sim_response handle_control(sim_world& world, const sim_request& req, const parsed_target& target, time_point now);

}  // namespace pcbridge::sim
