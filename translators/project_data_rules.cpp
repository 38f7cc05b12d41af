// Project data: GetProjectData, SetProjectData, GetAllProjectData (mapping.md §3, §4.3-4, §4.6).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

constexpr member_rule data_[] = {
    {"/", "Project", action::keep, {}, expect::object},
    {"Project", "Url", action::url_child},
    {"Project", "LastChangeTimestamp", action::drop},  // (M) mapping.md §4.4: new in V2
    // mapping.md §4.3 flattens CurrentStatus into Status/StatusTimestamp. Note: the V1
    // GetAllProjectData sample (v1-api.md §3.8) shows a <CurrentStatus …> child element instead;
    // a trace confirming that replaces this line with {"Project", "CurrentStatus", action::keep}
    // plus {"CurrentStatus", "CustomId", action::drop}.
    {"Project", "CurrentStatus", action::flatten, {}, expect::object, project::current_status},
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
