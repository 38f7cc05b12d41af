#include "tools/sim/sim_control.hpp"

#include "tools/sim/sim_json.hpp"

#include <cmath>
#include <functional>
#include <string_view>

namespace pcbridge::sim {

namespace {
using control_handler = std::function<sim_response(sim_world&, const sim_request&, time_point)>;

struct control_route {
  std::string_view method;
  std::string_view path;
  control_handler handler;
};

sim_response ok(const json& body) { return json_response(200, body); }

// A JSON object body; an empty body counts as {}.
std::variant<json, sim_response> object_body(const sim_request& req) {
  if (req.body.empty()) return json::object();
  auto j = parse_json(req.body);
  if (!j) return problem(400, "Request body is not valid JSON");
  return std::move(*j);
}

sim_response stats(sim_world& w, const sim_request&, time_point) {
  json operations = json::object();
  json max_in_window = json::object();
  for (const auto& [key, k] : w.limiter.keys()) {
    operations[key] = k.operations;
    max_in_window[key] = k.max_in_window;
  }
  json j;
  j["token_fetches"] = w.token_fetches;
  j["tokens_issued"] = w.tokens.issued();
  j["operations"] = std::move(operations);
  j["max_ops_in_window"] = std::move(max_in_window);
  j["rejected_429"] = w.limiter.rejected();
  return ok(j);
}

sim_response add_faults(sim_world& w, const sim_request& req, time_point) {
  auto body = parse_json(req.body);
  if (!body) return problem(400, "Request body is not valid JSON");
  // One fault object or an array of them; nothing is queued unless all are valid.
  const json items = body->is_array() ? *body : json::array({*body});
  std::vector<fault> parsed;
  for (const auto& item : items) {
    auto f = parse_fault(item);
    if (auto* err = std::get_if<std::string>(&f)) return problem(400, *err);
    parsed.push_back(std::get<fault>(std::move(f)));
  }
  for (auto& f : parsed) w.faults.add(std::move(f));
  json j;
  j["queued"] = w.faults.describe().size();
  return ok(j);
}

sim_response fail_token_endpoint(sim_world& w, const sim_request& req, time_point) {
  auto body = object_body(req);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& j = std::get<json>(body);
  const auto usage = "Body must be {\"fail\":N (0..1000000),\"status\":400..599}";
  if (!j.is_object()) return problem(400, usage);
  const auto fail = j.value("fail", json(1));
  const auto status = j.value("status", json(500));
  if (!fail.is_number_integer() || fail.get<long long>() < 0 || fail.get<long long>() > 1'000'000 ||
      !status.is_number_integer() || status.get<long long>() < 400 || status.get<long long>() > 599) {
    return problem(400, usage);
  }
  w.token_failures_left = fail.get<int>();
  w.token_failure_status = status.get<int>();
  json out;
  out["fail"] = w.token_failures_left;
  out["status"] = w.token_failure_status;
  return ok(out);
}

sim_response advance_clock(sim_world& w, const sim_request& req, time_point now) {
  auto body = object_body(req);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& j = std::get<json>(body);
  const auto seconds = j.is_object() ? j.value("seconds", json()) : json();
  if (!seconds.is_number() || !std::isfinite(seconds.get<double>()) || seconds.get<double>() < 0 ||
      seconds.get<double>() > 1e9) {
    return problem(400, "Body must be {\"seconds\":N} with 0 <= N <= 1e9");
  }
  const auto delta = std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(seconds.get<double>() * 1e9)));
  w.clock_offset += delta;
  json out;
  out["now"] = format_precise_timestamp(to_ticks(now + delta));
  out["offset_seconds"] = std::chrono::duration<double>(w.clock_offset).count();
  return ok(out);
}

sim_response read_clock(sim_world& w, const sim_request&, time_point now) {
  json out;
  out["now"] = format_precise_timestamp(now);
  out["offset_seconds"] = std::chrono::duration<double>(w.clock_offset).count();
  return ok(out);
}

const std::vector<control_route>& control_routes() {
  static const std::vector<control_route> table = {
      {"GET", "/__sim/requests", [](sim_world& w, const sim_request&, time_point) { return ok(w.recorder.to_json()); }},
      {"DELETE", "/__sim/requests",
       [](sim_world& w, const sim_request&, time_point) { return ok(json{{"cleared", w.recorder.clear()}}); }},
      {"GET", "/__sim/stats", stats},
      {"GET", "/__sim/faults", [](sim_world& w, const sim_request&, time_point) { return ok(w.faults.describe()); }},
      {"POST", "/__sim/faults", add_faults},
      {"DELETE", "/__sim/faults",
       [](sim_world& w, const sim_request&, time_point) { return ok(json{{"cleared", w.faults.clear()}}); }},
      {"POST", "/__sim/tokens/expire",
       [](sim_world& w, const sim_request&, time_point now) { return ok(json{{"expired", w.tokens.revoke_all(now)}}); }},
      {"POST", "/__sim/token_endpoint", fail_token_endpoint},
      {"POST", "/__sim/clock/advance", advance_clock},
      {"GET", "/__sim/clock", read_clock},
      {"POST", "/__sim/reset",
       [](sim_world& w, const sim_request&, time_point) {
         w.reset();
         return ok(json{{"reset", true}});
       }},
  };
  return table;
}
}  // namespace

sim_response handle_control(sim_world& world, const sim_request& req, const parsed_target& target, time_point now) {
  bool path_known = false;
  for (const auto& r : control_routes()) {
    if (r.path != target.path) continue;
    path_known = true;
    if (r.method == req.method) return r.handler(world, req, now);
  }
  return path_known ? problem(405, "Method not allowed") : problem(404, "Unknown control endpoint");
}

}  // namespace pcbridge::sim
