#pragma once
// Data-field types (mapping.md §3): which values are Date or Boolean, and which fields take
// several instances, from the V2 form schemas. Pure functions over JSON text; the proxy
// fetches and caches the schemas (proxy/schema_types.cpp).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "translators/outcome.hpp"
#include "translators/flat_string_map.hpp"

namespace pcbridge::translators {

enum class value_type { text, date, boolean };

// Data-field types of one form (or of all forms of a program, merged). Keys are the
// DataFieldId and, when set, the CustomId of each field.
struct field_type_map {
  flat_string_map<value_type> by_id;
  flat_string_set multi_instance;  // ids (public and custom) of multi-instance fields
  std::optional<value_type> find(std::string_view id) const;
  bool is_multi_instance(std::string_view id) const;
};

// One form's map from its V2 GetFormSchema answer; 502 when the answer cannot be read.
outcome<field_type_map> field_types_from_schema(std::string_view v2_schema_json);

// The FormIds of a V2 GetForms answer ({"Forms":[{"FormId":…},…]}), in answer order; 502
// when the answer cannot be read. Entries without a FormId are skipped.
outcome<std::vector<std::string>> form_ids_from_forms(std::string_view v2_forms_json);

// Several forms' maps as one, for methods whose answers span forms (GetAllProjectData,
// GetProjectsByData). An id that two forms type differently (a custom id reused, say) is
// left out: its values are typed as if no schema were known (exact patterns, counted),
// because guessing one form's type could rewrite the other form's Text.
field_type_map merge_field_types(std::span<const field_type_map> maps);

}  // namespace pcbridge::translators
