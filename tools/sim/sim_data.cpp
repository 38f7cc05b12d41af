// Project data: GetAllProjectData (§6.6), GetProjectData (§5.3), SetProjectData (§5.4),
// SubmitProject (§5.5). A project keeps one draft and one submitted value set; the draft
// routes read and write the draft, the admin routes the submitted values.
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"
#include "tools/sim/sim_values.hpp"

#include <algorithm>
#include <cstdio>

namespace pcbridge::sim {

namespace {
struct form_target {
  program* prog;
  project* proj;
  const form_def* form;
};

std::variant<form_target, sim_response> resolve(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  auto form = form_from_path(ctx, *prog);
  if (!form) return form.error;
  return form_target{prog.item, proj.item, form.item};
}

// reveal_sensitive_data=true needs one of the MFA headers (v2-api.md §2.2).
std::variant<bool, sim_response> reveal_flag(const api_context& ctx) {
  auto flag = bool_query(ctx, "reveal_sensitive_data");
  if (auto* err = std::get_if<sim_response>(&flag)) return *err;
  if (!std::get<std::optional<bool>>(flag).value_or(false)) return false;
  const auto has = [&](std::string_view name) {
    const auto v = ctx.request.headers.find(name);
    return v && !v->empty();
  };
  if (!has("Mfa-One-Time-Password") && !has("Mfa-Session-Token")) {
    return problem(403, "reveal_sensitive_data=true needs an Mfa-One-Time-Password or Mfa-Session-Token header");
  }
  return true;
}

std::string shown(const field_def& f, const std::string& value, bool reveal) {
  return (f.sensitive && !reveal && !value.empty()) ? std::string(shapes::sensitive_mask) : value;
}

// §3.4: single-instance fields carry Value (Values null), multi-instance ones the reverse.
json render_field(const field_def& f, const field_values& values, bool reveal) {
  const auto it = values.find(f.id);
  json j;
  j["DataFieldId"] = f.id;
  j["CustomId"] = string_or_null(f.custom_id);
  j["Name"] = f.name;
  if (f.multi_instance) {
    j["Value"] = nullptr;
    if (it == values.end()) {
      j["Values"] = nullptr;
    } else {
      json list = json::array();
      for (const auto& v : it->second) list.push_back(shown(f, v, reveal));
      j["Values"] = std::move(list);
    }
  } else {
    j["Value"] = (it == values.end() || it->second.empty()) ? json(nullptr) : json(shown(f, it->second.front(), reveal));
    j["Values"] = nullptr;
  }
  return j;
}

// §3.5.
json render_attachment(const attachment_def& a, const project& proj) {
  const auto file = proj.files.find(a.id);
  json j;
  j["AttachmentId"] = a.id;
  j["CustomId"] = string_or_null(a.custom_id);
  j["Name"] = a.name;
  j["FileName"] = file == proj.files.end() ? json(nullptr) : json(file->second.file_name);
  return j;
}

bool editable(const form_def& form, const project& proj) {
  const auto& status = proj.history.front().status_id;
  return std::find(form.available_in.begin(), form.available_in.end(), status) != form.available_in.end();
}

std::vector<std::string> missing_required(const form_def& form, const field_values& values) {
  std::vector<std::string> missing;
  for (const auto& f : form.fields) {
    if (f.required && !is_filled(values, f.id)) missing.push_back(f.custom_id.value_or(f.id));
  }
  return missing;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// §5.3 body. CanSubmit: the form is editable in the current status and its draft complete.
json render_form_data(const form_target& t, const field_values& values, bool reveal) {
  json j = render_project_header(*t.prog, *t.proj);
  j["CanSubmit"] = editable(*t.form, *t.proj) && missing_required(*t.form, t.proj->draft).empty();
  json fields = json::array();
  for (const auto& f : t.form->fields) fields.push_back(render_field(f, values, reveal));
  json attachments = json::array();
  for (const auto& a : t.form->attachments) attachments.push_back(render_attachment(a, *t.proj));
  j["DataFields"] = std::move(fields);
  j["Attachments"] = std::move(attachments);
  json body;
  body["Project"] = std::move(j);
  return body;
}

sim_response read_form_data(api_context& ctx, bool draft) {
  auto target = resolve(ctx);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<form_target>(target);
  auto reveal = reveal_flag(ctx);
  if (auto* err = std::get_if<sim_response>(&reveal)) return *err;
  return json_response(200, render_form_data(t, draft ? t.proj->draft : t.proj->submitted, std::get<bool>(reveal)));
}

// One DataFields entry of a SetProjectData body: the field and its new instances (nullopt clears it).
struct field_change {
  const field_def* field;
  std::optional<std::vector<std::string>> values;
};

std::variant<field_change, sim_response> parse_change(const form_def& form, const json& entry) {
  if (!entry.is_object()) return problem(400, "DataFields entries must be objects");
  const auto id = entry.find("DataFieldId");
  if (id == entry.end() || !id->is_string()) return problem(400, "DataFieldId must be a string");
  const auto* field = find_field(form, id->get<std::string>());
  if (!field) return problem(400, "Unknown data field " + id->get<std::string>() + " on form " + form.id);
  const auto value = entry.find("Value");
  const auto values = entry.find("Values");
  if ((value == entry.end()) == (values == entry.end())) {
    return problem(400, "Data field " + field->id + " needs exactly one of Value and Values");
  }
  field_change change{field, std::nullopt};
  if (value != entry.end()) {
    if (field->multi_instance) return problem(400, "Data field " + field->id + " is multi-instance: send Values");
    if (!value->is_null() && !value->is_string()) return problem(400, "Value must be a string or null");
    if (value->is_string()) change.values = std::vector<std::string>{value->get<std::string>()};
  } else {
    if (!field->multi_instance) return problem(400, "Data field " + field->id + " is not multi-instance: send Value");
    if (!values->is_null() && !values->is_array()) return problem(400, "Values must be an array of strings or null");
    if (values->is_array()) {
      change.values.emplace();
      for (const auto& v : *values) {
        if (!v.is_string()) return problem(400, "Values must be an array of strings or null");
        change.values->push_back(v.get<std::string>());
      }
    }
  }
  for (const auto& v : change.values.value_or(std::vector<std::string>{})) {
    if (auto err = value_error(*field, v)) return problem(400, *err);
  }
  return change;
}

void apply(field_values& values, const field_change& change) {
  if (change.values) {
    values[change.field->id] = *change.values;  // Values replaces the whole instance list
  } else {
    values.erase(change.field->id);
  }
}

// The draft route writes the draft (the form must be editable in the current status); the admin
// route saves submitted values directly, needs the result to be complete, and mirrors the
// values into the draft so a later draft read does not show stale data.
sim_response write_form_data(api_context& ctx, bool draft) {
  auto target = resolve(ctx);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<form_target>(target);
  if (!draft) {
    auto followup = bool_query(ctx, "run_followup_actions");
    if (auto* err = std::get_if<sim_response>(&followup)) return *err;
  } else if (!editable(*t.form, *t.proj)) {
    return problem(409, "Form " + t.form->id + " cannot be edited in status " + current_status(*t.prog, *t.proj).name);
  }
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& req = std::get<json>(body);
  const json* entries = nullptr;
  if (req.is_object() && req.contains("Project") && req["Project"].is_object() &&
      req["Project"].contains("DataFields") && req["Project"]["DataFields"].is_array()) {
    entries = &req["Project"]["DataFields"];
  }
  if (!entries) return problem(400, "Body must be {\"Project\":{\"DataFields\":[...]}}");

  std::vector<field_change> changes;
  for (const auto& entry : *entries) {
    auto change = parse_change(*t.form, entry);
    if (auto* err = std::get_if<sim_response>(&change)) return *err;
    changes.push_back(std::get<field_change>(change));
  }
  if (draft) {
    for (const auto& c : changes) apply(t.proj->draft, c);
  } else {
    field_values result = t.proj->submitted;
    for (const auto& c : changes) apply(result, c);
    if (const auto missing = missing_required(*t.form, result); !missing.empty()) {
      return problem(400, "Form is not complete; missing: " + joined(missing));
    }
    t.proj->submitted = std::move(result);
    for (const auto& c : changes) apply(t.proj->draft, c);
  }
  touch(*t.proj, ctx.now);
  return json_response(200, render_form_data(t, draft ? t.proj->draft : t.proj->submitted, false));
}
}  // namespace

sim_response get_submitted_data(api_context& ctx) { return read_form_data(ctx, false); }
sim_response get_draft_data(api_context& ctx) { return read_form_data(ctx, true); }
sim_response set_draft_data(api_context& ctx) { return write_form_data(ctx, true); }
sim_response set_submitted_data(api_context& ctx) { return write_form_data(ctx, false); }

sim_response get_all_project_data(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  auto reveal = reveal_flag(ctx);
  if (auto* err = std::get_if<sim_response>(&reveal)) return *err;
  // Submitted values of every form; fields without data and attachments without files are left out.
  json fields = json::array();
  json attachments = json::array();
  for (const auto& form : prog->forms) {
    for (const auto& f : form.fields) {
      if (is_filled(proj->submitted, f.id)) fields.push_back(render_field(f, proj->submitted, std::get<bool>(reveal)));
    }
    for (const auto& a : form.attachments) {
      if (proj->files.contains(a.id)) attachments.push_back(render_attachment(a, *proj));
    }
  }
  json j = render_project_header(*prog, *proj);
  j["DataFields"] = std::move(fields);
  j["Attachments"] = std::move(attachments);
  json body;
  body["Project"] = std::move(j);
  return json_response(200, body);
}

sim_response submit_project(api_context& ctx) {
  auto target = resolve(ctx);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<form_target>(target);
  if (!editable(*t.form, *t.proj)) {
    return problem(409, "Form " + t.form->id + " cannot be submitted in status " + current_status(*t.prog, *t.proj).name);
  }
  if (const auto missing = missing_required(*t.form, t.proj->draft); !missing.empty()) {
    return problem(400, "Form is not complete; missing: " + joined(missing));
  }
  for (const auto& f : t.form->fields) {
    const auto it = t.proj->draft.find(f.id);
    if (it == t.proj->draft.end()) {
      t.proj->submitted.erase(f.id);
    } else {
      t.proj->submitted[f.id] = it->second;
    }
  }
  if (!t.proj->number) {
    char number[32];
    std::snprintf(number, sizeof number, "%s-%05d", t.prog->number_prefix.c_str(), ++t.prog->numbers_issued);
    t.proj->number = number;
  }
  t.proj->history.insert(t.proj->history.begin(), status_entry{t.form->leads_to, ctx.caller.email, std::nullopt, ctx.now});
  touch(*t.proj, ctx.now);
  json body;
  body["Project"] = render_project_header(*t.prog, *t.proj);
  return json_response(200, body);
}

}  // namespace pcbridge::sim
