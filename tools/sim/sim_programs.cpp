// GetPrograms, GetForms, GetFormSchema (v2-api.md §6.1–6.3; all bodies [I], see sim_shapes.hpp).
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

namespace {
json render_field_schema(const field_def& f) {
  json j;
  j["DataFieldId"] = f.id;
  j["CustomId"] = string_or_null(f.custom_id);
  j["Name"] = f.name;
  j[shapes::field_type] = type_name(f.type);
  if (f.min || f.max) {
    json props;
    if (f.min) props[shapes::field_min] = *f.min;
    if (f.max) props[shapes::field_max] = *f.max;
    j[shapes::field_properties] = std::move(props);
  }
  if (!f.choices.empty()) j[shapes::field_choices] = f.choices;
  if (f.multi_instance) j[shapes::field_multi_instance] = true;
  return j;
}
}  // namespace

sim_response get_programs(api_context& ctx) {
  json list = json::array();
  for (const auto& p : ctx.store.programs) {
    json entry;
    entry["ProgramId"] = p.id;
    entry["Name"] = p.name;
    list.push_back(std::move(entry));
  }
  json body;
  body[shapes::programs_list] = std::move(list);
  return json_response(200, body);
}

sim_response get_forms(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  json list = json::array();
  for (const auto& f : prog->forms) list.push_back(render_form_entry(*prog, f));
  json body;
  body[shapes::forms_list] = std::move(list);
  return json_response(200, body);
}

sim_response get_form_schema(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto form = form_from_path(ctx, *prog);
  if (!form) return form.error;
  json schema = render_form_entry(*prog, *form);
  schema.erase("ProgramId");  // §6.3 sketch: FormId, CustomId, Name, AvailableInStatuses, ...
  json fields = json::array();
  for (const auto& f : form->fields) fields.push_back(render_field_schema(f));
  json attachments = json::array();
  for (const auto& a : form->attachments) {
    json entry;
    entry["AttachmentId"] = a.id;
    entry["CustomId"] = string_or_null(a.custom_id);
    entry["Name"] = a.name;
    attachments.push_back(std::move(entry));
  }
  schema["DataFields"] = std::move(fields);
  schema["Attachments"] = std::move(attachments);
  json body;
  body[shapes::form_schema] = std::move(schema);
  return json_response(200, body);
}

}  // namespace pcbridge::sim
