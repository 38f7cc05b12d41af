// The route table (mapping.md §2 and §6). Data only: matching lives in route_match.cpp.
// Rows marked (I) are inferred, not seen in a trace: a captured real request corrects
// such a row here, in one line, plus a new test/golden case.
#include "translators/route_table.hpp"
#include "translators/route_detail.hpp"

#include <array>

namespace pcbridge::translators {

namespace {

using enum http_verb;
using enum body_kind;
using enum method_id;

constexpr std::string_view no_mfa_api =
    "V2 has no API for MFA session tokens: create a session token (MST) in the PowerClerk web "
    "UI (My Account -> Manage API Credentials) and send it in the Mfa-Session-Token header";

// Columns: id, verb, V1 pattern, V2 template, V2 admin template, V1 response root,
// request body, response body, idempotent, unavailable, field typing (none when left out),
// metadata (false when left out).
// Order: method_id order (route_for indexes by it). No two rows share a pattern and verb,
// and literal segments never collide with a {param} of another row, so order does not
// change what matches.
constexpr std::array<route, method_count> routes_ = {{
    {GetPrograms, get, "Programs", "Programs", "", "ProgramsResponse", none, xml, true, "", field_typing::none, true},
    {GetForms, get, "Programs/{ProgramId}/Forms", "Programs/{ProgramId}/Forms", "",
     "FormsResponse", none, xml, true, "", field_typing::none, true},
    {GetFormSchema, get, "Programs/{ProgramId}/Forms/{FormId}/Schema",
     "Programs/{ProgramId}/Forms/{FormId}/Schema", "", "FormSchemaResponse", none, xml, true, "", field_typing::none, true},
    {GetProjects, get, "Programs/{ProgramId}/Projects", "Programs/{ProgramId}/Projects", "",
     "ProjectsResponse", none, xml, true, ""},
    // ByNumber and ByData are reads that use POST only to carry the filter in the body:
    // nothing changes upstream, so a retry is safe.
    {GetProjectsByNumber, post, "Programs/{ProgramId}/Projects/ByNumber",
     "Programs/{ProgramId}/Projects/ByNumber", "", "ProjectsResponse", xml, xml, true, ""},
    {GetProjectsByData, post, "Programs/{ProgramId}/Projects/ByData",
     "Programs/{ProgramId}/Projects/ByData", "", "ProjectsResponse", xml, xml, true, "",
     field_typing::program_schemas},
    {CreateNewProject, post, "Programs/{ProgramId}/NewProject", "Programs/{ProgramId}/NewProject",
     "", "NewProjectResponse", none, xml, false, ""},
    {GetAllProjectData, get, "Programs/{ProgramId}/Projects/{ProjectId}/Data",
     "Programs/{ProgramId}/Projects/{ProjectId}/Data", "", "ProjectDataGetResponse", none, xml,
     true, "", field_typing::program_schemas},
    // V1 non-admin reads and writes were drafts: V2 names the draft explicitly.
    {GetProjectData, get, "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Data",
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Draft/Data", "",
     "ProjectDataGetResponse", none, xml, true, "", field_typing::form_schema},
    {SetProjectData, post, "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Data",
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Draft/Data",
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Data", "ProjectDataSetResponse",
     xml, xml, false, "", field_typing::form_schema},
    {SubmitProject, post, "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Submit",
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Draft/Submit", "",
     "ProjectSubmitResponse", none, xml, false, ""},
    {GetAttachmentMetadata, get,
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Metadata",
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Metadata", "",
     "AttachmentMetadataResponse", none, xml, true, ""},
    {SetAttachmentMetadata, post,
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Metadata",
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Metadata", "",
     "AttachmentMetadataResponse", xml, xml, false, ""},
    {GetStatusList, get, "Programs/{ProgramId}/StatusList", "Programs/{ProgramId}/StatusList", "",
     "StatusListResponse", none, xml, true, "", field_typing::none, true},
    {GetProjectStatusHistory, get, "Programs/{ProgramId}/Projects/{ProjectId}/StatusHistory",
     "Programs/{ProgramId}/Projects/{ProjectId}/StatusHistory", "",
     "ProjectStatusHistoryResponse", none, xml, true, ""},
    {SetProjectStatus, post, "Programs/{ProgramId}/Projects/{ProjectId}/Status/{StatusId}",
     "Programs/{ProgramId}/Projects/{ProjectId}/Status/{StatusId}", "", "StatusSetResponse", none,
     xml, false, ""},
    {SetProjectOwner, post, "Programs/{ProgramId}/Projects/{ProjectId}/Owner",
     "Programs/{ProgramId}/Projects/{ProjectId}/Owner", "", "SetProjectOwnerResponse", xml, xml,
     false, ""},
    {GetInquiryThreads, get, "Programs/{ProgramId}/Projects/{ProjectId}/InquiryThreads",
     "Programs/{ProgramId}/Projects/{ProjectId}/InquiryThreads", "", "InquiryThreadsResponse",
     none, xml, true, ""},
    {GetNotesInInquiryThread, get, "Programs/{ProgramId}/InquiryThreads/{ThreadId}/Notes",
     "Programs/{ProgramId}/InquiryThreads/{ThreadId}/Notes", "", "InquiryNotesResponse", none, xml,
     true, ""},
    {SetInquiryNote, post, "Programs/{ProgramId}/Projects/{ProjectId}/SetInquiryNote",
     "Programs/{ProgramId}/Projects/{ProjectId}/SetInquiryNote", "", "InquiryNoteResponse", xml,
     xml, false, ""},
    // The two thread setters may come with or without a body (undocumented). `xml` covers
    // both: the proxy translates a body when one is sent and sends none otherwise.
    {SetInquiryThreadStatus, post,
     "Programs/{ProgramId}/InquiryThreads/{ThreadId}/Status/{ThreadStatus}",
     "Programs/{ProgramId}/InquiryThreads/{ThreadId}/Status/{ThreadStatus}", "",
     "InquiryThreadResponse", xml, xml, false, ""},
    {SetInquiryThreadExternalId, post,
     "Programs/{ProgramId}/InquiryThreads/{ThreadId}/ExternalId/{ExternalThreadId}",
     "Programs/{ProgramId}/InquiryThreads/{ThreadId}/ExternalId/{ExternalThreadId}", "",
     "InquiryThreadResponse", xml, xml, false, ""},
    // (I) path: undocumented on both sides; V2 assumed = V1 path.
    {GetActiveAttachment, get,
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}",
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}", "", "", none, binary,
     true, ""},
    // (I) path invented: V1 admin download, an admin variant of GetActiveAttachment.
    {GetAttachmentAsAdmin, get,
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Admin",
     "Programs/{ProgramId}/Projects/{ProjectId}/Attachments/{AttachmentId}/Admin", "", "", none,
     binary, true, ""},
    // (I) path and response root: raw file bytes in, answer shape unknown.
    {SetProjectAttachment, post,
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Attachments/{AttachmentId}",
     "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Attachments/{AttachmentId}", "",
     "SetProjectAttachmentResponse", binary, xml, false, ""},
    // (I) path and response root: custom lists hang off the program like StatusList.
    {GetCustomListChoices, get, "Programs/{ProgramId}/CustomLists/{CustomListId}/Choices",
     "Programs/{ProgramId}/CustomLists/{CustomListId}/Choices", "", "CustomListChoicesResponse",
     none, xml, true, ""},
    // (I) path; the response root is confirmed from the V1 sample.
    {GetExportProject, get, "Programs/{ProgramId}/Projects/{ProjectId}/Export",
     "Programs/{ProgramId}/Projects/{ProjectId}/Export", "", "ProjectExportDataGetResponse", none,
     xml, true, ""},
    // (I) path and response root, by analogy with SetProjectOwner.
    {SetAssignee, post, "Programs/{ProgramId}/Projects/{ProjectId}/Assignee",
     "Programs/{ProgramId}/Projects/{ProjectId}/Assignee", "", "SetAssigneeResponse", xml, xml,
     false, ""},
    // (I) path and response root; the request root SetProjectStatusHistoryReportAs is confirmed.
    {SetProjectStatusReportAs, post,
     "Programs/{ProgramId}/Projects/{ProjectId}/StatusHistory/ReportAs",
     "Programs/{ProgramId}/Projects/{ProjectId}/StatusHistory/ReportAs", "",
     "SetProjectStatusHistoryReportAsResponse", xml, xml, false, ""},
    // (I) V1 path, from DeleteMfaSessionToken's. Never sent upstream: answered 501.
    {CreateMfaSessionToken, post, "Accounts/MfaSessionTokens", "Accounts/MfaSessionTokens", "",
     "CreateMfaSessionTokenResponse", xml, xml, false, no_mfa_api},
    {DeleteMfaSessionToken, del, "Accounts/MfaSessionTokens/{TokenId}",
     "Accounts/MfaSessionTokens/{TokenId}", "", "", none, none, false, no_mfa_api},
    // Catch-all: any verb (`other` here), same path under /services/v2, generic XML<->JSON.
    // match_v1 hands GET requests generic_get_route() instead, the one idempotent variant.
    {Generic, other, "*", "*", "", "", xml, xml, false, ""},
}};

constexpr bool rows_follow_enum() {
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (static_cast<std::size_t>(routes_[i].id) != i) return false;
  }
  return true;
}
static_assert(rows_follow_enum(), "routes_ rows must be in method_id order");

// A GET has no body worth translating and is safe to repeat.
constexpr route generic_get_ = {Generic, get, "*", "*", "", "", none, xml, true, ""};

}  // namespace

std::span<const route> all_routes() { return routes_; }

const route& route_for(method_id id) { return routes_[static_cast<std::size_t>(id)]; }

const route& generic_get_route() { return generic_get_; }

}  // namespace pcbridge::translators
