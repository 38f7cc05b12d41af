// Project lists, creation, submission and ownership (mapping.md §4.3-5, §6).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

// GetProjects, GetProjectsByNumber, GetProjectsByData.
// (I) mapping.md §4.5: the full known V1 attribute set is written whatever `version` the client
// asked for (per-version subsets are undocumented); this table has no version switch on purpose.
constexpr member_rule list_[] = {
    {"/", "Projects", action::keep, {}, expect::array},
    {"Project", "Url", action::url_child},
    {"Project", "CurrentStatus", action::flatten, {}, expect::object, project::current_status_list},
    {"Project", "ProjectOwner", action::flatten, {}, expect::object, project::owner},
};

constexpr member_rule create_[] = {
    {"/", "Project", action::keep, {}, expect::object},
    {"Project", "ProjectNumber", action::drop},  // (M) mapping.md §4.4: V1 had none here
    // (I) v1-api.md §3.7 leaves Url's nesting open; mapping.md §4.3 puts it inside Project.
    {"Project", "Url", action::url_child},
    {"Project", "CurrentStatus", action::flatten, {}, expect::object, project::current_status},
    {"Project", "ProjectOwner", action::flatten, {}, expect::object, project::owner},
    {"Project", "Forms", action::keep, {}, expect::array},
};

constexpr member_rule submit_[] = {
    {"/", "Project", action::keep, {}, expect::object},
    // mapping.md §4 rules 3 and 8: the V1 sample (C, v1-api.md §3.16) has <Url Value> beside a
    // self-closed Project, the migration notes (M) Project.Url.Value: both by default.
    {"Project", "Url", action::url_submit},
    {"/", "Url", action::url_last},
    {"Project", "CurrentStatus", action::flatten, {}, expect::object, project::current_status},
    {"Project", "ProjectOwner", action::flatten, {}, expect::object, project::owner},
};

constexpr member_rule owner_[] = {
    {"/", "Owner", action::keep, {}, expect::object},
};

constexpr method_rules list_rules_{{list_}};
constexpr method_rules create_rules_{{create_, forms::members}};
constexpr method_rules submit_rules_{{submit_}};
constexpr method_rules owner_rules_{{owner_}};

}  // namespace

const method_rules* projects(method_id id) {
  switch (id) {
    case method_id::GetProjects:
    case method_id::GetProjectsByNumber:
    case method_id::GetProjectsByData: return &list_rules_;
    case method_id::CreateNewProject: return &create_rules_;
    case method_id::SubmitProject: return &submit_rules_;
    case method_id::SetProjectOwner: return &owner_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
