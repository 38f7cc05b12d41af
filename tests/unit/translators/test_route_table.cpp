#include <doctest/doctest.h>

#include <set>
#include <string>

#include "translators/route_table.hpp"

using namespace pcbridge::translators;

TEST_CASE("route table: one row per method, in method_id order, Generic last") {
  const auto routes = all_routes();
  REQUIRE(routes.size() == static_cast<std::size_t>(method_count));
  for (int i = 0; i < method_count; ++i) {
    CHECK(static_cast<int>(routes[i].id) == i);
    CHECK(&route_for(static_cast<method_id>(i)) == &routes[i]);
  }
  CHECK(routes.back().id == method_id::Generic);
}

TEST_CASE("route table: V1 response roots") {
  CHECK(route_for(method_id::GetPrograms).v1_response_root == "ProgramsResponse");
  CHECK(route_for(method_id::GetForms).v1_response_root == "FormsResponse");
  CHECK(route_for(method_id::GetFormSchema).v1_response_root == "FormSchemaResponse");
  CHECK(route_for(method_id::GetProjects).v1_response_root == "ProjectsResponse");
  CHECK(route_for(method_id::GetProjectsByNumber).v1_response_root == "ProjectsResponse");
  CHECK(route_for(method_id::GetProjectsByData).v1_response_root == "ProjectsResponse");
  CHECK(route_for(method_id::CreateNewProject).v1_response_root == "NewProjectResponse");
  CHECK(route_for(method_id::GetAllProjectData).v1_response_root == "ProjectDataGetResponse");
  CHECK(route_for(method_id::GetProjectData).v1_response_root == "ProjectDataGetResponse");
  CHECK(route_for(method_id::SetProjectData).v1_response_root == "ProjectDataSetResponse");
  CHECK(route_for(method_id::SubmitProject).v1_response_root == "ProjectSubmitResponse");
  CHECK(route_for(method_id::GetAttachmentMetadata).v1_response_root ==
        "AttachmentMetadataResponse");
  CHECK(route_for(method_id::SetAttachmentMetadata).v1_response_root ==
        "AttachmentMetadataResponse");
  CHECK(route_for(method_id::GetStatusList).v1_response_root == "StatusListResponse");
  CHECK(route_for(method_id::GetProjectStatusHistory).v1_response_root ==
        "ProjectStatusHistoryResponse");
  CHECK(route_for(method_id::SetProjectStatus).v1_response_root == "StatusSetResponse");
  CHECK(route_for(method_id::SetProjectOwner).v1_response_root == "SetProjectOwnerResponse");
  CHECK(route_for(method_id::GetInquiryThreads).v1_response_root == "InquiryThreadsResponse");
  CHECK(route_for(method_id::GetNotesInInquiryThread).v1_response_root == "InquiryNotesResponse");
  CHECK(route_for(method_id::SetInquiryNote).v1_response_root == "InquiryNoteResponse");
  CHECK(route_for(method_id::SetInquiryThreadStatus).v1_response_root == "InquiryThreadResponse");
  CHECK(route_for(method_id::SetInquiryThreadExternalId).v1_response_root ==
        "InquiryThreadResponse");
  CHECK(route_for(method_id::GetExportProject).v1_response_root == "ProjectExportDataGetResponse");
  CHECK(route_for(method_id::GetActiveAttachment).v1_response_root.empty());
  CHECK(route_for(method_id::GetAttachmentAsAdmin).v1_response_root.empty());
  CHECK(route_for(method_id::DeleteMfaSessionToken).v1_response_root.empty());
}

TEST_CASE("route table: idempotent exactly for GETs and the two POST reads") {
  for (const route& r : all_routes()) {
    CAPTURE(method_name(r.id));
    const bool post_read =
        r.id == method_id::GetProjectsByNumber || r.id == method_id::GetProjectsByData;
    CHECK(r.idempotent == (r.verb == http_verb::get || post_read));
  }
}

TEST_CASE("route table: body kinds") {
  const std::set<method_id> xml_requests = {
      method_id::GetProjectsByNumber,  method_id::GetProjectsByData,
      method_id::SetProjectData,       method_id::SetAttachmentMetadata,
      method_id::SetProjectOwner,      method_id::SetInquiryNote,
      method_id::SetInquiryThreadStatus, method_id::SetInquiryThreadExternalId,
      method_id::SetProjectStatusReportAs, method_id::SetAssignee,
      method_id::CreateMfaSessionToken, method_id::Generic};
  for (const route& r : all_routes()) {
    CAPTURE(method_name(r.id));
    if (r.id == method_id::SetProjectAttachment) {
      CHECK(r.request_body == body_kind::binary);
    } else if (xml_requests.count(r.id) != 0) {
      CHECK(r.request_body == body_kind::xml);
    } else {
      CHECK(r.request_body == body_kind::none);
    }
    if (r.id == method_id::DeleteMfaSessionToken) {
      CHECK(r.response_body == body_kind::none);
    } else if (r.id == method_id::GetActiveAttachment || r.id == method_id::GetAttachmentAsAdmin) {
      CHECK(r.response_body == body_kind::binary);
    } else {
      CHECK(r.response_body == body_kind::xml);
    }
  }
}

TEST_CASE("route table: only SetProjectData has an admin template") {
  for (const route& r : all_routes()) {
    CAPTURE(method_name(r.id));
    CHECK(r.v2_admin_template.empty() == (r.id != method_id::SetProjectData));
  }
  CHECK(route_for(method_id::SetProjectData).v2_admin_template ==
        "Programs/{ProgramId}/Projects/{ProjectId}/Forms/{FormId}/Data");
}

TEST_CASE("route table: MFA token methods are unavailable with an explanation") {
  for (const route& r : all_routes()) {
    CAPTURE(method_name(r.id));
    const bool mfa =
        r.id == method_id::CreateMfaSessionToken || r.id == method_id::DeleteMfaSessionToken;
    CHECK(r.unavailable.empty() == !mfa);
  }
  const std::string text(route_for(method_id::CreateMfaSessionToken).unavailable);
  CHECK(text.find("V2 has no API") != std::string::npos);
  CHECK(text.find("My Account -> Manage API Credentials") != std::string::npos);
  CHECK(route_for(method_id::DeleteMfaSessionToken).verb == http_verb::del);
}

TEST_CASE("method names round-trip") {
  for (int i = 0; i < method_count; ++i) {
    const auto id = static_cast<method_id>(i);
    CAPTURE(method_name(id));
    CHECK(method_from_name(method_name(id)) == id);
  }
  CHECK(method_name(method_id::GetProjectData) == "GetProjectData");
  CHECK(method_name(method_id::Generic) == "Generic");
  CHECK(method_name(method_id::DeleteMfaSessionToken) == "DeleteMfaSessionToken");
  CHECK_FALSE(method_from_name("getprojectdata").has_value());
  CHECK_FALSE(method_from_name("").has_value());
}

TEST_CASE("route table: the metadata flag (answers shared through the metadata cache) is set on exactly four methods") {
  std::set<method_id> flagged;
  for (const route& r : all_routes()) {
    if (r.metadata) flagged.insert(r.id);
  }
  CHECK(flagged == std::set<method_id>{method_id::GetPrograms, method_id::GetForms, method_id::GetFormSchema,
                                       method_id::GetStatusList});
}
