#include "tools/sim/sim_faults.hpp"

namespace pcbridge::sim {

std::variant<fault, std::string> parse_fault(const json& j) {
  if (!j.is_object()) return std::string("a fault must be a JSON object");
  fault f;
  for (const auto& [key, value] : j.items()) {
    if (key == "match") {
      if (!value.is_string()) return std::string("match must be a string");
      f.match = value.get<std::string>();
    } else if (key == "method") {
      if (!value.is_string()) return std::string("method must be a string");
      f.method = value.get<std::string>();
    } else if (key == "status") {
      if (!value.is_number_integer() || value.get<long long>() < 100 || value.get<long long>() > 599) {
        return std::string("status must be an integer from 100 to 599");
      }
      f.status = value.get<int>();
    } else if (key == "body") {
      if (!value.is_string()) return std::string("body must be a string");
      f.body = value.get<std::string>();
    } else if (key == "count") {
      if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 1'000'000) {
        return std::string("count must be an integer from 1 to 1000000");
      }
      f.count = value.get<int>();
    } else if (key == "delay_ms") {
      if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > 600'000) {
        return std::string("delay_ms must be an integer from 0 to 600000");
      }
      f.delay_ms = value.get<int>();
    } else if (key == "drop") {
      if (!value.is_boolean()) return std::string("drop must be a boolean");
      f.drop = value.get<bool>();
    } else if (key == "after_processing") {
      if (!value.is_boolean()) return std::string("after_processing must be a boolean");
      f.after_processing = value.get<bool>();
    } else if (key == "headers") {
      if (!value.is_object()) return std::string("headers must be an object of strings");
      for (const auto& [name, v] : value.items()) {
        if (!v.is_string()) return std::string("headers must be an object of strings");
        f.headers.add(name, v.get<std::string>());
      }
    } else {
      return "unknown fault member: " + key;
    }
  }
  if (!f.status && !f.drop && f.delay_ms == 0 && f.headers.fields().empty()) {
    return std::string("a fault needs at least one of status, drop, delay_ms, headers");
  }
  if (f.body && !f.status) return std::string("body needs a status");
  return f;
}

json describe(const fault& f) {
  json j;
  j["match"] = f.match;
  j["method"] = string_or_null(f.method);
  j["status"] = f.status ? json(*f.status) : json(nullptr);
  j["body"] = string_or_null(f.body);
  j["count"] = f.count;
  j["delay_ms"] = f.delay_ms;
  j["drop"] = f.drop;
  json headers = json::object();
  for (const auto& [name, value] : f.headers.fields()) headers[name] = value;
  j["headers"] = headers;
  j["after_processing"] = f.after_processing;
  return j;
}

bool processes_request(const fault& f) { return f.after_processing || (!f.status && !f.drop); }

sim_response apply_fault(const fault& f, sim_response processed) {
  sim_response r = std::move(processed);
  if (f.status) {
    if (f.body) {
      r = sim_response{};
      r.status = *f.status;
      const bool looks_json = !f.body->empty() && (f.body->front() == '{' || f.body->front() == '[');
      r.headers.add("Content-Type", looks_json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
      r.body = *f.body;
    } else {
      r = problem(*f.status, "Injected fault");
    }
  }
  for (const auto& [name, value] : f.headers.fields()) r.headers.set(name, value);
  r.delay_ms += f.delay_ms;
  r.drop_connection = r.drop_connection || f.drop;
  return r;
}

std::optional<fault> fault_queue::take(std::string_view method, std::string_view target) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (target.find(it->match) == std::string_view::npos) continue;
    if (it->method && !iequals(*it->method, method)) continue;
    fault used = *it;
    if (--it->count == 0) faults_.erase(it);
    return used;
  }
  return std::nullopt;
}

std::size_t fault_queue::clear() {
  const auto n = faults_.size();
  faults_.clear();
  return n;
}

json fault_queue::describe() const {
  json list = json::array();
  for (const auto& f : faults_) list.push_back(sim::describe(f));
  return list;
}

}  // namespace pcbridge::sim
