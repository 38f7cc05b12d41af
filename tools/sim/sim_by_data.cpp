// GetProjectsByData (§6.5): filters by current status, by the date a status was reached and
// by submitted data-field values. Member names are [I] (sim_shapes.hpp); unknown members
// are rejected so a misspelt filter cannot silently match everything.
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"
#include "tools/sim/sim_values.hpp"

#include <algorithm>

namespace pcbridge::sim {

namespace {
enum class comparison { eq, lt, gt };

struct status_filter {
  bool include = true;
  std::vector<std::string> status_ids;
};
struct status_date_filter {
  std::string status_id;
  filter_time when;
  comparison op;
};
struct field_filter {
  const field_def* field;
  std::string content;
  comparison op;
};
struct by_data_filter {
  std::optional<status_filter> statuses;
  std::optional<status_date_filter> status_date;
  std::vector<field_filter> fields;
};

using parse_error = sim_response;

template <class T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool holds(comparison op, int order) {
  switch (op) {
    case comparison::eq: return order == 0;
    case comparison::lt: return order < 0;
    case comparison::gt: return order > 0;
  }
  return false;
}

std::optional<comparison> parse_comparison(const json& j) {
  if (!j.is_string()) return std::nullopt;
  const auto s = j.get<std::string>();
  if (s == "eq") return comparison::eq;
  if (s == "lt") return comparison::lt;
  if (s == "gt") return comparison::gt;
  return std::nullopt;
}

// The object's members must all be in `allowed`.
bool only_members(const json& j, std::initializer_list<std::string_view> allowed) {
  return std::all_of(j.items().begin(), j.items().end(), [&](const auto& item) {
    return std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end();
  });
}

std::string text(const json& j, std::string_view key) {
  const auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->template get<std::string>() : std::string();
}

std::variant<status_filter, parse_error> parse_statuses(const program& prog, const json& j) {
  if (!j.is_object() || !only_members(j, {shapes::by_data_operation, shapes::by_data_status_list})) {
    return problem(400, "FilterByCurrentStatuses must be {\"Operation\",\"Status\":[{\"Id\"}]}");
  }
  status_filter out;
  const auto operation = text(j, shapes::by_data_operation);
  if (operation != "Include" && operation != "Exclude") return problem(400, "Operation must be Include or Exclude");
  out.include = operation == "Include";
  const auto list = j.find(shapes::by_data_status_list);
  if (list == j.end() || !list->is_array()) return problem(400, "FilterByCurrentStatuses.Status must be an array");
  for (const auto& entry : *list) {
    if (!entry.is_object() || !only_members(entry, {shapes::by_data_id})) {
      return problem(400, "Status entries must be {\"Id\"}");
    }
    const auto* s = find_status(prog, text(entry, shapes::by_data_id));
    if (!s) return problem(400, "Unknown status " + text(entry, shapes::by_data_id));
    out.status_ids.push_back(s->id);
  }
  return out;
}

std::variant<status_date_filter, parse_error> parse_status_date(const program& prog, const json& j) {
  if (!j.is_object() ||
      !only_members(j, {shapes::by_data_id, shapes::by_data_date_time, shapes::by_data_operator})) {
    return problem(400, "FilterByStatusDate must be {\"Id\",\"DateTime\",\"Operator\"}");
  }
  const auto* s = find_status(prog, text(j, shapes::by_data_id));
  if (!s) return problem(400, "Unknown status " + text(j, shapes::by_data_id));
  const auto when = parse_filter_time(text(j, shapes::by_data_date_time));
  if (!when) return problem(400, "FilterByStatusDate.DateTime must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss[zzz]");
  const auto op = j.contains(shapes::by_data_operator) ? parse_comparison(j[shapes::by_data_operator]) : std::nullopt;
  if (!op) return problem(400, "Operator must be eq, lt or gt");
  return status_date_filter{s->id, *when, *op};
}

std::variant<field_filter, parse_error> parse_field(const program& prog, const json& j) {
  if (!j.is_object() ||
      !only_members(j, {shapes::by_data_id, shapes::by_data_content, shapes::by_data_operator})) {
    return problem(400, "Field entries must be {\"Id\",\"Content\",\"Operator\"}");
  }
  const auto* field = find_field(prog, text(j, shapes::by_data_id));
  if (!field) return problem(400, "Unknown data field " + text(j, shapes::by_data_id));
  const auto content = j.find(shapes::by_data_content);
  if (content == j.end() || !content->is_string()) return problem(400, "Field.Content must be a string");
  const auto value = content->get<std::string>();
  if (field->type == field_type::date && !is_iso_date(value)) {
    return problem(400, "Content for Date field " + field->id + " must be yyyy-MM-dd");
  }
  if (field->type == field_type::number && !parse_decimal(value)) {
    return problem(400, "Content for Number field " + field->id + " must be a decimal number");
  }
  if (field->type == field_type::boolean && value != "true" && value != "false") {
    return problem(400, "Content for Boolean field " + field->id + " must be true or false");
  }
  const auto op = j.contains(shapes::by_data_operator) ? parse_comparison(j[shapes::by_data_operator]) : std::nullopt;
  if (!op) return problem(400, "Operator must be eq, lt or gt");
  return field_filter{field, value, *op};
}

std::variant<by_data_filter, parse_error> parse_filter(const program& prog, const json& j) {
  if (!j.is_object() ||
      !only_members(j, {shapes::by_data_statuses, shapes::by_data_status_date, shapes::by_data_fields})) {
    return problem(400, "Body may hold only FilterByCurrentStatuses, FilterByStatusDate and DataFields");
  }
  by_data_filter out;
  if (j.contains(shapes::by_data_statuses)) {
    auto parsed = parse_statuses(prog, j[shapes::by_data_statuses]);
    if (auto* err = std::get_if<parse_error>(&parsed)) return *err;
    out.statuses = std::get<status_filter>(parsed);
  }
  if (j.contains(shapes::by_data_status_date)) {
    auto parsed = parse_status_date(prog, j[shapes::by_data_status_date]);
    if (auto* err = std::get_if<parse_error>(&parsed)) return *err;
    out.status_date = std::get<status_date_filter>(parsed);
  }
  if (j.contains(shapes::by_data_fields)) {
    const auto& fields = j[shapes::by_data_fields];
    if (!fields.is_array()) return problem(400, "DataFields must be a list of {\"Id\",\"Content\",\"Operator\"}");
    for (const auto& entry : fields) {
      auto parsed = parse_field(prog, entry);
      if (auto* err = std::get_if<parse_error>(&parsed)) return *err;
      out.fields.push_back(std::get<field_filter>(parsed));
    }
  }
  return out;
}

bool matches(const by_data_filter& filter, const project& proj) {
  if (filter.statuses) {
    const auto& ids = filter.statuses->status_ids;
    const bool listed = std::find(ids.begin(), ids.end(), proj.history.front().status_id) != ids.end();
    if (listed != filter.statuses->include) return false;
  }
  if (filter.status_date) {
    // The most recent time the project reached that status.
    const auto entry = std::find_if(proj.history.begin(), proj.history.end(), [&](const status_entry& e) {
      return e.status_id == filter.status_date->status_id;
    });
    if (entry == proj.history.end()) return false;
    const auto& when = filter.status_date->when;
    const int order = when.date_only
                          ? three_way<std::string>(format_local_date(entry->at), when.date)
                          : three_way<time_point>(std::chrono::floor<std::chrono::seconds>(entry->at), when.at);
    if (!holds(filter.status_date->op, order)) return false;
  }
  // Submitted values; a multi-instance field matches when any instance does.
  for (const auto& f : filter.fields) {
    const auto it = proj.submitted.find(f.field->id);
    if (it == proj.submitted.end()) return false;
    const bool any = std::any_of(it->second.begin(), it->second.end(), [&](const std::string& v) {
      return !v.empty() && holds(f.op, compare_values(*f.field, v, f.content));
    });
    if (!any) return false;
  }
  return true;
}
}  // namespace

sim_response get_projects_by_data(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  auto filter = parse_filter(*prog, std::get<json>(body));
  if (auto* err = std::get_if<parse_error>(&filter)) return *err;
  std::vector<const project*> selected;
  for (const auto& p : prog->projects) {
    if (matches(std::get<by_data_filter>(filter), p)) selected.push_back(&p);
  }
  return json_response(200, render_project_list(*prog, selected, ctx.now));
}

}  // namespace pcbridge::sim
