// Data-field types of a form from its V2 schema (GetFormSchema answer), for the Date and
// Boolean conversions of mapping.md §3, and their merge over a program's forms.
#include "translators/field_types.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "translators/json_reader.hpp"
#include "translators/json_whole.hpp"

namespace pcbridge::translators {

namespace {

// (I) v2-api.md §6.3: the schema's Type names are undocumented. "Date" per mapping.md; the
// migration notes speak of "DateTime data fields", so that spelling counts as a date too.
// Matched case-insensitively; every other type is text.
struct type_name {
  std::string_view name;
  value_type type;
};
constexpr type_name schema_types[] = {
    {"date", value_type::date},
    {"datetime", value_type::date},
    {"boolean", value_type::boolean},
};

// (I) v2-api.md §6.3 does not say how a schema marks a multi-instance field; this member
// (a JSON true) is the simulator's reading (tools/sim/sim_shapes.hpp). Without it every
// field counts as single-instance, as before.
constexpr std::string_view multi_instance_member = "MultiInstance";

value_type type_of(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const auto& t : schema_types) {
    if (t.name == lower) return t.type;
  }
  return value_type::text;
}

failure bad_answer(std::string_view method, std::string_view path, std::string_view problem) {
  std::string message(method);
  message += ": cannot translate V2 answer: ";
  message += path;
  message += ' ';
  message += problem;
  return failure{502, std::move(message)};
}

failure bad_schema(std::string_view path, std::string_view problem) { return bad_answer("GetFormSchema", path, problem); }

// Parses a V2 answer after the bounded-depth check of json::reader (no recursion bombs).
std::optional<nlohmann::json> parse_answer(std::string_view text, std::string_view method, failure& error) {
  json::reader check(text);
  if (!check.skip_value(0) || !check.finish()) {
    error = bad_answer(method, "(root)", std::string("invalid JSON: ") + check.problem() + " at offset " +
                                             std::to_string(check.offset()));
    return std::nullopt;
  }
  nlohmann::json doc = json::parse_whole(text);
  if (doc.is_discarded()) {
    error = bad_answer(method, "(root)", "invalid JSON");
    return std::nullopt;
  }
  return doc;
}

}  // namespace

std::optional<value_type> field_type_map::find(std::string_view id) const {
  const auto it = by_id.find(id);
  if (it == by_id.end()) return std::nullopt;
  return it->second;
}

// Most forms have no multi-instance field: then no id is hashed for the question.
bool field_type_map::is_multi_instance(std::string_view id) const {
  return !multi_instance.empty() && multi_instance.contains(id);
}

outcome<field_type_map> field_types_from_schema(std::string_view v2_schema_json) {
  failure error;
  const auto parsed = parse_answer(v2_schema_json, "GetFormSchema", error);
  if (!parsed) return error;
  const nlohmann::json& doc = *parsed;
  if (!doc.is_object()) return bad_schema("(root)", "is not an object");
  // {"FormSchema":{…,"DataFields":[…]}}; a body without the wrapper is read the same way.
  const nlohmann::json* schema = &doc;
  std::string prefix;
  if (const auto it = doc.find("FormSchema"); it != doc.end()) {
    if (!it->is_object()) return bad_schema("FormSchema", "is not an object");
    schema = &*it;
    prefix = "FormSchema.";
  }
  field_type_map map;
  const auto fields = schema->find("DataFields");
  if (fields == schema->end() || fields->is_null()) return map;
  if (!fields->is_array()) return bad_schema(prefix + "DataFields", "is not an array");
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    if (!f.is_object()) return bad_schema(prefix + "DataFields[" + std::to_string(i) + "]", "is not an object");
    const auto type_it = f.find("Type");
    const value_type type =
        type_it != f.end() && type_it->is_string() ? type_of(type_it->get_ref<const std::string&>()) : value_type::text;
    const auto multi_it = f.find(multi_instance_member);
    const bool multi = multi_it != f.end() && multi_it->is_boolean() && multi_it->get<bool>();
    for (const char* key : {"DataFieldId", "CustomId"}) {
      const auto id = f.find(key);
      if (id != f.end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
        map.by_id.emplace(id->get<std::string>(), type);
        if (multi) map.multi_instance.insert(id->get<std::string>());
      }
    }
  }
  return map;
}

outcome<std::vector<std::string>> form_ids_from_forms(std::string_view v2_forms_json) {
  failure error;
  const auto parsed = parse_answer(v2_forms_json, "GetForms", error);
  if (!parsed) return error;
  const nlohmann::json& doc = *parsed;
  if (!doc.is_object()) return bad_answer("GetForms", "(root)", "is not an object");
  std::vector<std::string> ids;
  const auto forms = doc.find("Forms");
  if (forms == doc.end() || forms->is_null()) return ids;
  if (!forms->is_array()) return bad_answer("GetForms", "Forms", "is not an array");
  for (const auto& form : *forms) {
    if (!form.is_object()) continue;
    const auto id = form.find("FormId");
    if (id != form.end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
      ids.push_back(id->get<std::string>());
    }
  }
  return ids;
}

field_type_map merge_field_types(std::span<const field_type_map> maps) {
  // Every id's type first, in first-seen order: an id two forms type differently is left out,
  // and the flat map has no erase.
  struct seen_type {
    value_type type;
    bool conflicting = false;
  };
  std::vector<std::string> order;
  std::unordered_map<std::string, seen_type> seen;
  field_type_map merged;
  for (const field_type_map& m : maps) {
    for (const auto& [id, type] : m.by_id) {
      const auto [it, added] = seen.try_emplace(id, seen_type{type});
      if (added) order.push_back(id);
      else if (it->second.type != type) it->second.conflicting = true;
    }
    merged.multi_instance.insert(m.multi_instance.begin(), m.multi_instance.end());
  }
  for (std::string& id : order) {
    const seen_type& s = seen.at(id);
    if (!s.conflicting) merged.by_id.emplace(std::move(id), s.type);
  }
  return merged;
}

}  // namespace pcbridge::translators
