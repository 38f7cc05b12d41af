// Data-field types of a form from its V2 schema (GetFormSchema answer), for the Date and
// Boolean conversions of mapping.md §3.
#include <nlohmann/json.hpp>

#include "translators/json_reader.hpp"
#include "translators/translate.hpp"

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

failure bad_schema(std::string_view path, std::string_view problem) {
  std::string message = "GetFormSchema: cannot translate V2 answer: ";
  message += path;
  message += ' ';
  message += problem;
  return failure{502, std::move(message)};
}

}  // namespace

std::optional<value_type> field_type_map::find(std::string_view id) const {
  const auto it = by_id.find(std::string(id));
  if (it == by_id.end()) return std::nullopt;
  return it->second;
}

outcome<field_type_map> field_types_from_schema(std::string_view v2_schema_json) {
  json::reader check(v2_schema_json);
  if (!check.skip_value(0) || !check.finish()) {
    return bad_schema("(root)", std::string("invalid JSON: ") + check.problem() + " at offset " +
                                    std::to_string(check.offset()));
  }
  const nlohmann::json doc = nlohmann::json::parse(v2_schema_json, nullptr, false);
  if (doc.is_discarded()) return bad_schema("(root)", "invalid JSON");
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
    for (const char* key : {"DataFieldId", "CustomId"}) {
      const auto id = f.find(key);
      if (id != f.end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
        map.by_id.emplace(id->get<std::string>(), type);
      }
    }
  }
  return map;
}

}  // namespace pcbridge::translators
