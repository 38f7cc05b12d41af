#include "tools/sim/sim_api.hpp"

#include <stdexcept>

namespace pcbridge::sim {

const std::string& api_context::param(std::string_view name) const {
  const auto it = params.find(name);
  if (it == params.end()) throw std::logic_error("route has no parameter " + std::string(name));
  return it->second;
}

found<program> program_from_path(api_context& ctx) {
  if (auto* p = find_program(ctx.store, ctx.param("p"))) return {p, {}};
  return {nullptr, problem(404, "Program not found")};
}

found<project> project_from_path(api_context& ctx, program& prog) {
  if (auto* p = find_project(prog, ctx.param("id"))) return {p, {}};
  return {nullptr, problem(404, "Project not found")};
}

found<const form_def> form_from_path(api_context& ctx, const program& prog) {
  if (const auto* f = find_form(prog, ctx.param("f"))) return {f, {}};
  return {nullptr, problem(404, "Form not found")};
}

std::variant<json, sim_response> json_body(const api_context& ctx) {
  if (const auto type = ctx.request.headers.find("Content-Type"); type && !is_json_media_type(*type)) {
    return problem(415, "Content-Type must be application/json");
  }
  auto body = parse_json(ctx.request.body);
  if (!body) return problem(400, "Request body is not valid JSON");
  return std::move(*body);
}

std::variant<std::optional<bool>, sim_response> bool_query(const api_context& ctx, std::string_view name) {
  const auto value = ctx.query_value(name);
  if (!value) return std::optional<bool>{};
  if (*value == "true") return std::optional<bool>{true};
  if (*value == "false") return std::optional<bool>{false};
  return problem(400, "Query parameter " + std::string(name) + " must be true or false");
}

void touch(project& proj, time_point now) { proj.last_change = now; }

}  // namespace pcbridge::sim
