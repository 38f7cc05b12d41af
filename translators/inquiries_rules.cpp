// Inquiry threads and notes (mapping.md §3, §6). V1 = V2 shape + namespace, with inquiry dates
// back to MM/dd/yyyy and IsAdmin to True/False (common rule).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

constexpr member_rule threads_[] = {
    {"/", "InquiryThreads", action::keep, {}, expect::array},
};

constexpr member_rule notes_[] = {
    {"/", "Notes", action::keep, {}, expect::array},
};

// (I) mapping.md §3: member names of threads and notes are unknown, so every string of the
// inquiry timestamp form is a date to convert rather than a named member list.
constexpr method_rules threads_rules_{{threads_}, true};
constexpr method_rules notes_rules_{{notes_}, true};
constexpr method_rules single_rules_{{}, true};

}  // namespace

const method_rules* inquiries(method_id id) {
  switch (id) {
    case method_id::GetInquiryThreads: return &threads_rules_;
    case method_id::GetNotesInInquiryThread: return &notes_rules_;
    case method_id::SetInquiryNote:
    case method_id::SetInquiryThreadStatus:
    case method_id::SetInquiryThreadExternalId: return &single_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
