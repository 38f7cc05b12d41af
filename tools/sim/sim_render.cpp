#include "tools/sim/sim_render.hpp"

#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

json render_status_ref(const status_def& s) {
  json j;
  j["StatusId"] = s.id;
  j["CustomId"] = string_or_null(s.custom_id);
  j["Name"] = s.name;
  return j;
}

json render_current_status(const program& prog, const project& proj) {
  json j = render_status_ref(current_status(prog, proj));
  j["Timestamp"] = format_timestamp(proj.history.front().at);
  return j;
}

std::string landing_url(const program& prog, const project& proj) {
  return std::string(shapes::landing_page_url) + "?ProgramId=" + prog.id + "&ProjectId=" + proj.id;
}

namespace {
// The §3.3 header; list entries (§5.1) carry the owner just before CurrentStatus.
json project_header(const program& prog, const project& proj, bool with_owner) {
  json j;
  j["ProjectId"] = proj.id;
  j["ProgramId"] = prog.id;
  j["ProjectNumber"] = string_or_null(proj.number);
  j["Url"] = landing_url(prog, proj);
  j["LastChangeTimestamp"] = format_timestamp(proj.last_change);
  if (with_owner) j["ProjectOwner"] = render_person(proj.owner);
  j["CurrentStatus"] = render_current_status(prog, proj);
  return j;
}
}  // namespace

json render_project_header(const program& prog, const project& proj) { return project_header(prog, proj, false); }
json render_project_summary(const program& prog, const project& proj) { return project_header(prog, proj, true); }

json render_project_list(const program& prog, const std::vector<const project*>& projects, time_point now) {
  json list = json::array();
  for (const auto* p : projects) list.push_back(render_project_summary(prog, *p));
  json j;
  j["Projects"] = std::move(list);
  j["RequestTimestamp"] = format_precise_timestamp(now);
  return j;
}

json render_form_entry(const program& prog, const form_def& form) {
  json statuses = json::array();
  for (const auto& id : form.available_in) {
    if (const auto* s = find_status(prog, id)) statuses.push_back(render_status_ref(*s));
  }
  json j;
  j["FormId"] = form.id;
  j["CustomId"] = string_or_null(form.custom_id);
  j["ProgramId"] = prog.id;
  j["Name"] = form.name;
  j["AvailableInStatuses"] = std::move(statuses);
  return j;
}

json render_person(const person& p) {
  json j;
  j["Name"] = p.name;
  j["Email"] = p.email;
  return j;
}

}  // namespace pcbridge::sim
