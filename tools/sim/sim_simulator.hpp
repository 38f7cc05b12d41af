#pragma once
// pcbridge-sim's pure core: a stateful fake of the PowerClerk V2 API and its OAuth token
// endpoint. No sockets, no clock: the shell passes each request and the wall-clock time.
#include "tools/sim/sim_message.hpp"
#include "tools/sim/sim_world.hpp"

namespace pcbridge::sim {

class simulator {
 public:
  explicit simulator(sim_options options) : world_(std::move(options)) {}

  // Answers one request received at wall-clock `now`. The simulator's clock is `now` plus
  // whatever /__sim/clock/advance added. Not thread-safe: the caller serialises calls.
  sim_response handle(const sim_request& req, time_point now);

  const sim_options& options() const { return world_.options; }

 private:
  sim_response dispatch(const sim_request& req, time_point now);
  sim_response token_call(const sim_request& req, time_point now);
  sim_response api_call(const sim_request& req, time_point now);
  sim_response route(const sim_request& req, const sim_client& caller, time_point now);

  sim_world world_;
};

}  // namespace pcbridge::sim
