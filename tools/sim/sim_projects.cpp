// GetProjects (§5.1), GetProjectByNumber (§6.4), CreateNewProject (§5.2), SetProjectOwner (§5.6).
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"

#include <algorithm>
#include <charconv>

namespace pcbridge::sim {

namespace {
constexpr int max_limit = 1000;

// A non-negative decimal integer no larger than `max`.
std::optional<int> parse_count(std::string_view s, int max) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < 0 || v > max) return std::nullopt;
  return v;
}
}  // namespace

sim_response get_projects(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;

  std::optional<time_point> since;
  if (const auto v = ctx.query_value("changed_since")) {
    since = parse_changed_since(*v);
    if (!since) {
      return problem(400, "changed_since must be yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz or yyyy-MM-ddTHH:mm:sszzz");
    }
  }
  int limit = max_limit;
  if (const auto v = ctx.query_value("limit")) {
    const auto n = parse_count(*v, max_limit);
    if (!n || *n == 0) return problem(400, "limit must be an integer from 1 to 1000");
    limit = *n;
  }
  int offset = 0;
  if (const auto v = ctx.query_value("offset")) {
    const auto n = parse_count(*v, 1'000'000'000);
    if (!n) return problem(400, "offset must be a non-negative integer");
    offset = *n;
  }

  // Ordered by creation (prog->projects is); changed_since keeps projects changed strictly after it.
  std::vector<const project*> selected;
  int skipped = 0;
  for (const auto& p : prog->projects) {
    if (since && p.last_change <= *since) continue;
    if (skipped < offset) {
      ++skipped;
      continue;
    }
    if (static_cast<int>(selected.size()) == limit) break;
    selected.push_back(&p);
  }
  return json_response(200, render_project_list(*prog, selected, ctx.now));
}

sim_response get_projects_by_number(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& req = std::get<json>(body);
  const auto it = req.is_object() ? req.find(shapes::by_number_list) : req.end();
  if (it == req.end() || !it->is_array()) {
    return problem(400, "Body must be {\"" + std::string(shapes::by_number_list) + "\":[...]}");
  }
  // Request order; unknown numbers are left out, repeated ones answered once.
  std::vector<const project*> selected;
  for (const auto& number : *it) {
    if (!number.is_string()) return problem(400, "Project numbers must be strings");
    const auto match = std::find_if(prog->projects.begin(), prog->projects.end(),
                                    [&](const project& p) { return p.number && *p.number == number.get<std::string>(); });
    if (match != prog->projects.end() && std::find(selected.begin(), selected.end(), &*match) == selected.end()) {
      selected.push_back(&*match);
    }
  }
  return json_response(200, render_project_list(*prog, selected, ctx.now));
}

sim_response create_new_project(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  project p;
  p.id = next_id(ctx.store, "PRJ");
  p.owner = ctx.caller;
  p.created = ctx.now;
  p.last_change = ctx.now;
  p.history = {{prog->statuses.front().id, ctx.caller.email, std::nullopt, ctx.now}};
  prog->projects.push_back(std::move(p));
  const auto& created = prog->projects.back();

  json j = render_project_header(*prog, created);
  json forms = json::array();
  for (const auto& f : prog->forms) forms.push_back(render_form_entry(*prog, f));
  j["Forms"] = std::move(forms);
  json body;
  body["Project"] = std::move(j);
  return json_response(200, body);
}

sim_response set_project_owner(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& req = std::get<json>(body);
  const auto it = req.is_object() ? req.find("OwnerEmail") : req.end();
  if (it == req.end() || !it->is_string() || it->get<std::string>().find('@') == std::string::npos) {
    return problem(400, "OwnerEmail must be an e-mail address");
  }
  const auto email = it->get<std::string>();
  // Known accounts answer with their name; any other address is treated as a new account
  // named after its local part (the V2 sample's lower-case "pat owner" suggests a stored name).
  const auto* known = find_user(ctx.store, email);
  proj->owner = known ? *known : person{email.substr(0, email.find('@')), email};
  touch(*proj, ctx.now);
  json out;
  out["Owner"] = render_person(proj->owner);
  return json_response(200, out);
}

}  // namespace pcbridge::sim
