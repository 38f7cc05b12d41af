#include "tools/sim/sim_simulator.hpp"

#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_control.hpp"
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_router.hpp"
#include "tools/sim/sim_shapes.hpp"

#include <exception>

namespace pcbridge::sim {

namespace {
constexpr std::string_view api_prefix = "/services/v2";
constexpr std::string_view token_path = "/connect/token";

bool is_api_target(std::string_view target) {
  if (!target.starts_with(api_prefix)) return false;
  const auto rest = target.substr(api_prefix.size());
  return rest.empty() || rest.front() == '/' || rest.front() == '?';
}

bool is_token_target(std::string_view target) {
  return target.starts_with(token_path) &&
         (target.size() == token_path.size() || target[token_path.size()] == '?');
}

sim_response unauthorized(std::string_view title) {
  auto r = problem(401, title);
  r.headers.add("WWW-Authenticate", "Bearer");
  return r;
}
}  // namespace

sim_response simulator::handle(const sim_request& req, time_point now) {
  try {
    return dispatch(req, to_ticks(now + world_.clock_offset));
  } catch (const std::exception& e) {
    // A bug in the sim must show up in the test that hit it, not kill the process.
    return problem(500, std::string("Simulator error: ") + e.what());
  }
}

sim_response simulator::dispatch(const sim_request& req, time_point now) {
  if (req.target.starts_with("/__sim/")) {
    const auto target = parse_target(req.target);
    if (!target) return problem(400, "Malformed request target");
    return handle_control(world_, req, *target, now);
  }
  const bool token = is_token_target(req.target);
  if (!token && !is_api_target(req.target)) return problem(404, "Not found");

  const auto handle = world_.recorder.record(req);
  sim_response resp = token ? token_call(req, now) : api_call(req, now);
  world_.recorder.set_outcome(handle, resp);
  return resp;
}

// Faults apply here too, so tests can delay or drop token calls; /__sim/token_endpoint
// failures come after them.
sim_response simulator::token_call(const sim_request& req, time_point now) {
  ++world_.token_fetches;
  const auto f = world_.faults.take(req.method, req.target);
  sim_response resp;
  if (!f || processes_request(*f)) {
    if (world_.token_failures_left > 0) {
      --world_.token_failures_left;
      json body;
      body["error"] = shapes::error_server;
      resp = json_response(world_.token_failure_status, body);
    } else {
      resp = world_.tokens.issue(req, now);
    }
  }
  return f ? apply_fault(*f, std::move(resp)) : resp;
}

// Authentication, then the rate limit, then faults, then the route: a request rejected with
// 401 or 429 was never processed and uses no operation; a faulted one reached the service.
sim_response simulator::api_call(const sim_request& req, time_point now) {
  const auto auth = req.headers.find("Authorization");
  if (!auth || auth->size() < 7 || !iequals(auth->substr(0, 7), "Bearer ")) {
    return unauthorized("Missing bearer token");
  }
  const auto* client = world_.tokens.client_for(auth->substr(7), now);
  if (!client) return unauthorized("Access token is invalid or expired");
  const auto key = req.headers.find("X-ApiKey");
  if (!key || *key != client->api_key) return unauthorized("X-ApiKey is missing or does not belong to this client");

  const auto admission = world_.limiter.admit(client->api_key, now);
  if (!admission.allowed) {
    auto r = problem(429, "Too Many Requests");
    r.headers.add("Retry-After", std::to_string(admission.retry_after_s));
    return r;
  }

  const auto f = world_.faults.take(req.method, req.target);
  sim_response resp;
  if (!f || processes_request(*f)) resp = route(req, *client, now);
  return f ? apply_fault(*f, std::move(resp)) : resp;
}

sim_response simulator::route(const sim_request& req, const sim_client& caller, time_point now) {
  const auto target = parse_target(req.target);
  if (!target) return problem(400, "Malformed request target");
  const std::vector<std::string> segments(target->segments.begin() + 2, target->segments.end());
  auto match = match_route(req.method, segments);
  if (!match.handler) return match.other_method ? problem(405, "Method not allowed") : problem(404, "Not found");
  api_context ctx{world_.store, req, target->query, now, client_account(caller), std::move(match.params)};
  return match.handler(ctx);
}

}  // namespace pcbridge::sim
