#include "translators/method.hpp"

#include <array>

namespace pcbridge::translators {

namespace {

// Indexed by method_id; the static_assert below keeps it in step with the enum.
constexpr std::array<std::string_view, method_count> names_ = {
    "GetPrograms",
    "GetForms",
    "GetFormSchema",
    "GetProjects",
    "GetProjectsByNumber",
    "GetProjectsByData",
    "CreateNewProject",
    "GetAllProjectData",
    "GetProjectData",
    "SetProjectData",
    "SubmitProject",
    "GetAttachmentMetadata",
    "SetAttachmentMetadata",
    "GetStatusList",
    "GetProjectStatusHistory",
    "SetProjectStatus",
    "SetProjectOwner",
    "GetInquiryThreads",
    "GetNotesInInquiryThread",
    "SetInquiryNote",
    "SetInquiryThreadStatus",
    "SetInquiryThreadExternalId",
    "GetActiveAttachment",
    "GetAttachmentAsAdmin",
    "SetProjectAttachment",
    "GetCustomListChoices",
    "GetExportProject",
    "SetAssignee",
    "SetProjectStatusReportAs",
    "CreateMfaSessionToken",
    "DeleteMfaSessionToken",
    "Generic",
};

static_assert(names_.back() == "Generic", "names_ must follow method_id order");
static_assert(names_[static_cast<int>(method_id::SetInquiryThreadExternalId)] ==
              "SetInquiryThreadExternalId");
static_assert(names_[static_cast<int>(method_id::CreateMfaSessionToken)] ==
              "CreateMfaSessionToken");

}  // namespace

std::string_view method_name(method_id id) {
  const auto index = static_cast<std::size_t>(id);
  return index < names_.size() ? names_[index] : std::string_view{"Unknown"};
}

// Exact, case-sensitive: names come from our own config and logs, not from clients.
std::optional<method_id> method_from_name(std::string_view name) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<method_id>(i);
  }
  return std::nullopt;
}

}  // namespace pcbridge::translators
