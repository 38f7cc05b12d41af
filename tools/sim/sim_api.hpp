#pragma once
// What an API handler gets, the lookups every handler shares, and the handlers themselves
// (one .cpp per area: programs, projects, by_data, data, attachments, statuses, inquiry).
// Handlers run after authentication and the rate limit; they answer problem+json errors.
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_message.hpp"
#include "tools/sim/sim_model.hpp"
#include "tools/sim/sim_url.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace pcbridge::sim {

struct api_context {
  sim_store& store;
  const sim_request& request;
  const param_list& query;
  time_point now;
  person caller;  // the authenticated client's account
  std::map<std::string, std::string, std::less<>> params;  // {p}, {id}, {f}, ... from the route

  const std::string& param(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view name) const { return find_param(query, name); }
};

using api_handler = sim_response (*)(api_context&);

// A looked-up object, or the error answer that says why there is none.
template <class T>
struct found {
  T* item = nullptr;
  sim_response error;
  explicit operator bool() const { return item != nullptr; }
  T* operator->() const { return item; }
  T& operator*() const { return *item; }
};

found<program> program_from_path(api_context& ctx);                 // {p}
found<project> project_from_path(api_context& ctx, program& prog);  // {id}: ProjectId or ProjectNumber
found<const form_def> form_from_path(api_context& ctx, const program& prog);  // {f}: FormId or CustomId

// The request body as JSON: 415 for a non-JSON Content-Type, 400 for malformed JSON.
std::variant<json, sim_response> json_body(const api_context& ctx);
// A boolean query parameter written `true` or `false` (v2-api.md §2.6); 400 otherwise.
std::variant<std::optional<bool>, sim_response> bool_query(const api_context& ctx, std::string_view name);

// Records a write: V2 reports it as the project's LastChangeTimestamp.
void touch(project& proj, time_point now);

// sim_programs.cpp
sim_response get_programs(api_context& ctx);
sim_response get_forms(api_context& ctx);
sim_response get_form_schema(api_context& ctx);
// sim_projects.cpp
sim_response get_projects(api_context& ctx);
sim_response get_projects_by_number(api_context& ctx);
sim_response create_new_project(api_context& ctx);
sim_response set_project_owner(api_context& ctx);
// sim_by_data.cpp
sim_response get_projects_by_data(api_context& ctx);
// sim_data.cpp
sim_response get_all_project_data(api_context& ctx);
sim_response get_submitted_data(api_context& ctx);
sim_response get_draft_data(api_context& ctx);
sim_response set_draft_data(api_context& ctx);
sim_response set_submitted_data(api_context& ctx);
sim_response submit_project(api_context& ctx);
// sim_attachments.cpp
sim_response get_attachment_metadata(api_context& ctx);
sim_response set_attachment_metadata(api_context& ctx);
sim_response upload_attachment(api_context& ctx);
sim_response download_attachment(api_context& ctx);
// sim_statuses.cpp
sim_response get_status_list(api_context& ctx);
sim_response get_status_history(api_context& ctx);
sim_response set_project_status(api_context& ctx);
// sim_inquiry.cpp
sim_response get_inquiry_threads(api_context& ctx);
sim_response get_inquiry_notes(api_context& ctx);
sim_response set_inquiry_note(api_context& ctx);
sim_response set_inquiry_thread_status(api_context& ctx);
sim_response set_inquiry_thread_external_id(api_context& ctx);

}  // namespace pcbridge::sim
