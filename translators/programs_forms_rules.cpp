// Programs, forms and form schemas: GetPrograms, GetForms, GetFormSchema (mapping.md §4.7).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

// (M) V2 moved DataFieldSchema.Min/Max under Properties; other properties keep their names.
constexpr attr_map properties_[] = {
    {"Min", "Min"},
    {"Max", "Max"},
};

constexpr member_rule programs_[] = {
    {"/", "Programs", action::keep, {}, expect::array},
};

constexpr member_rule forms_[] = {
    {"/", "Forms", action::keep, {}, expect::array},
};

constexpr member_rule schema_[] = {
    {"/", "FormSchema", action::keep, {}, expect::object},
    {"FormSchema", "Name", action::rename, "Title"},  // (M) FormSchema.Title -> Name in V2
    {"FormSchema", "AvailableInStatuses", action::keep, {}, expect::array},
    {"FormSchema", "DataFields", action::keep, {}, expect::array},
    {"DataField", "Properties", action::flatten, {}, expect::object, properties_, true},
};

constexpr method_rules programs_rules_{{programs_}};
constexpr method_rules forms_rules_{{forms_, forms::members}};
constexpr method_rules schema_rules_{{schema_, forms::members}};

}  // namespace

const method_rules* programs_forms(method_id id) {
  switch (id) {
    case method_id::GetPrograms: return &programs_rules_;
    case method_id::GetForms: return &forms_rules_;
    case method_id::GetFormSchema: return &schema_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
