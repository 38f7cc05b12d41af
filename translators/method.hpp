#pragma once
// Every V1 method pcbridge knows by name. The route table (route_table.cpp) gives each
// one its verb, V1 path pattern and V2 path; translators look their rules up by this id.
#include <optional>
#include <string_view>

namespace pcbridge::translators {

enum class method_id {
  GetPrograms,
  GetForms,
  GetFormSchema,
  GetProjects,
  GetProjectsByNumber,
  GetProjectsByData,
  CreateNewProject,
  GetAllProjectData,
  GetProjectData,
  SetProjectData,
  SubmitProject,
  GetAttachmentMetadata,
  SetAttachmentMetadata,
  GetStatusList,
  GetProjectStatusHistory,
  SetProjectStatus,
  SetProjectOwner,
  GetInquiryThreads,
  GetNotesInInquiryThread,
  SetInquiryNote,
  SetInquiryThreadStatus,
  SetInquiryThreadExternalId,
  // Methods whose V1/V2 paths are undocumented (inferred): generic route.
  GetActiveAttachment,
  GetAttachmentAsAdmin,
  SetProjectAttachment,
  GetCustomListChoices,
  GetExportProject,
  SetAssignee,
  SetProjectStatusReportAs,
  // V2 has no equivalent: always answered 501.
  CreateMfaSessionToken,
  DeleteMfaSessionToken,
  // Any other path under /Services.svc/v1: same path under /services/v2, generic rules.
  Generic,
};

inline constexpr int method_count = static_cast<int>(method_id::Generic) + 1;

// "GetProjectData" etc.; "Generic" for the catch-all route.
std::string_view method_name(method_id id);
std::optional<method_id> method_from_name(std::string_view name);

}  // namespace pcbridge::translators
