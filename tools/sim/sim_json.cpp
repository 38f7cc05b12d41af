#include "tools/sim/sim_json.hpp"

#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<json> parse_json(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool is_json_media_type(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string type = to_lower(content_type.substr(0, semicolon));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(type.begin());
  return type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"));
}

sim_response json_response(int status, const json& body) {
  sim_response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json; charset=utf-8");
  r.body = dump(body);
  return r;
}

sim_response problem(int status, std::string_view title) {
  sim_response r;
  r.status = status;
  r.headers.add("Content-Type", std::string(shapes::problem_content_type));
  json body;
  body["title"] = title;
  body["status"] = status;
  r.body = dump(body);
  return r;
}

json string_or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace pcbridge::sim
