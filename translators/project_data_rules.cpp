// Project data: GetProjectData, SetProjectData, GetAllProjectData (mapping.md §3, §4.3-4, §4.6).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

constexpr member_rule data_[] = {
    {"/", "Project", action::keep, {}, expect::object},
    {"Project", "Url", action::url_child},
    {"Project", "LastChangeTimestamp", action::drop},  // (M) mapping.md §4.4: new in V2
    // mapping.md §4 rules 3 and 8: V1's <CurrentStatus StatusId Name Timestamp/> child (the V1
    // GetAllProjectData sample, v1-api.md §3.8) and the flattened Status/StatusTimestamp beside
    // it; compat data_current_status keeps one of them.
    {"Project", "CurrentStatus", action::current_status, {}, expect::object, project::current_status, false,
     project::current_status_element},
    {"Project", "ProjectOwner", action::flatten, {}, expect::object, project::owner},
    {"Project", "DataFields", action::keep, {}, expect::array},
    {"Project", "CalculatedFields", action::keep, {}, expect::array},
    {"Project", "Attachments", action::keep, {}, expect::array},
    {"DataField", "CustomId", action::drop},  // (M) §4.4 (still used to find the field's type)
    {"DataField", "Value", action::field_value},
    {"DataField", "Values", action::field_values, {}, expect::array},
    {"Attachment", "CustomId", action::drop},  // (M) §4.4
};

constexpr method_rules data_rules_{{data_}};

}  // namespace

const method_rules* project_data(method_id id) {
  switch (id) {
    case method_id::GetProjectData:
    case method_id::SetProjectData:
    case method_id::GetAllProjectData: return &data_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
