// GetStatusList (§6.11), GetProjectStatusHistory (§6.7), SetProjectStatus (§6.8); bodies [I].
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"

#include <algorithm>

namespace pcbridge::sim {

sim_response get_status_list(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  json list = json::array();
  for (const auto& s : prog->statuses) list.push_back(render_status_ref(s));
  json body;
  body[shapes::statuses_list] = std::move(list);
  return json_response(200, body);
}

sim_response get_status_history(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  json history = json::array();
  for (const auto& e : proj->history) {  // newest first, as V1 answered
    const auto* s = find_status(*prog, e.status_id);
    json entry;
    entry["StatusId"] = e.status_id;
    entry["Name"] = s ? s->name : std::string();
    entry[shapes::changed_by] = e.changed_by;
    entry[shapes::report_as_changed_by] = string_or_null(e.report_as_changed_by);
    entry["Timestamp"] = format_timestamp(e.at);
    history.push_back(std::move(entry));
  }
  json j;
  j["ProjectId"] = proj->id;
  j["ProgramId"] = prog->id;
  j["ProjectNumber"] = string_or_null(proj->number);
  j[shapes::status_history] = std::move(history);
  json body;
  body["Project"] = std::move(j);
  return json_response(200, body);
}

sim_response set_project_status(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  const auto* target = find_status(*prog, ctx.param("s"));
  if (!target) return problem(404, "Status not found");
  // AutoCommunication only chooses whether e-mails go out; the sim sends none, but checks the spelling.
  auto auto_communication = bool_query(ctx, shapes::auto_communication);
  if (auto* err = std::get_if<sim_response>(&auto_communication)) return *err;

  const auto& current = current_status(*prog, *proj);
  if (std::find(current.next.begin(), current.next.end(), target->id) == current.next.end()) {
    return problem(409, "Status " + target->name + " is not a valid next status after " + current.name);
  }
  proj->history.insert(proj->history.begin(), status_entry{target->id, ctx.caller.email, std::nullopt, ctx.now});
  touch(*proj, ctx.now);

  json status = render_status_ref(*target);
  status["Timestamp"] = format_precise_timestamp(ctx.now);
  json body;
  body[shapes::set_status_status] = std::move(status);
  body[shapes::set_status_url] = std::string(shapes::project_list_url) + "?ProgramId=" + prog->id;
  return json_response(200, body);
}

}  // namespace pcbridge::sim
