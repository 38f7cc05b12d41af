// Statuses: GetStatusList, GetProjectStatusHistory, SetProjectStatus (mapping.md §4.3, §4.7).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

constexpr member_rule list_[] = {
    {"/", "Statuses", action::keep, {}, expect::array},
    {"Statuses/Status", "Deleted", action::object_flag},
    // (I) mapping.md §4.7: V1 statuses had Deleted, V2 dropped it (and deprecated statuses).
    {"Statuses/Status", "Deleted", action::deleted_default},
};

constexpr member_rule history_[] = {
    {"/", "Project", action::keep, {}, expect::object},
    {"Project", "StatusHistory", action::keep, {}, expect::array},
    {"StatusHistory/Status", "ReportAsChangedBy", action::rename, "ReportAsLastChangedBy"},  // (M)
    {"Project", "Url", action::url_child},
    {"Project", "CurrentStatus", action::flatten, {}, expect::object, project::current_status},
    {"Project", "ProjectOwner", action::flatten, {}, expect::object, project::owner},
};

constexpr member_rule set_status_[] = {
    {"/", "Status", action::keep, {}, expect::object},
    // (C) v1-api.md §3.20: <Url Value> beside Status under the root, whichever way V2 nests it.
    {"/", "Url", action::url_last},
    {"Status", "Url", action::url_beside},
};

constexpr method_rules list_rules_{{list_}};
constexpr method_rules history_rules_{{history_}};
constexpr method_rules set_status_rules_{{set_status_}};

}  // namespace

const method_rules* statuses(method_id id) {
  switch (id) {
    case method_id::GetStatusList: return &list_rules_;
    case method_id::GetProjectStatusHistory: return &history_rules_;
    case method_id::SetProjectStatus: return &set_status_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
