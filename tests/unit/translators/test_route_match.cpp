#include <doctest/doctest.h>

#include <string>

#include "translators/route_table.hpp"

using namespace pcbridge::translators;

namespace {

const match_options user{};

match_options admin_opts() {
  match_options o;
  o.admin = true;
  return o;
}

// The V2 target for a V1 request that must match; fails the test otherwise.
std::string v2(http_verb verb, std::string_view target, const match_options& opts = user) {
  auto m = match_v1(verb, target, opts);
  if (!m) {
    FAIL_CHECK("unexpected failure " << m.error().status << ": " << m.error().message);
    return {};
  }
  return m->v2_target;
}

method_id id_of(http_verb verb, std::string_view target) {
  auto m = match_v1(verb, target, user);
  REQUIRE(m.ok());
  return m->matched->id;
}

int status_of(http_verb verb, std::string_view target) {
  auto m = match_v1(verb, target, user);
  REQUIRE_FALSE(m.ok());
  return m.error().status;
}

constexpr auto get = http_verb::get;
constexpr auto post = http_verb::post;
constexpr auto del = http_verb::del;

}  // namespace

TEST_CASE("match_v1: every documented method maps to its V2 path") {
  CHECK(v2(get, "/Services.svc/v1/Programs") == "/services/v2/Programs");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Forms") == "/services/v2/Programs/P1/Forms");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Forms/F1/Schema") ==
        "/services/v2/Programs/P1/Forms/F1/Schema");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects") == "/services/v2/Programs/P1/Projects");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/ByNumber") ==
        "/services/v2/Programs/P1/Projects/ByNumber");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/ByData") ==
        "/services/v2/Programs/P1/Projects/ByData");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/NewProject") ==
        "/services/v2/Programs/P1/NewProject");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/Data") ==
        "/services/v2/Programs/P1/Projects/J1/Data");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Data") ==
        "/services/v2/Programs/P1/Projects/J1/Forms/F1/Draft/Data");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Data") ==
        "/services/v2/Programs/P1/Projects/J1/Forms/F1/Draft/Data");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Submit") ==
        "/services/v2/Programs/P1/Projects/J1/Forms/F1/Draft/Submit");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/Attachments/A1/Metadata") ==
        "/services/v2/Programs/P1/Projects/J1/Attachments/A1/Metadata");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Attachments/A1/Metadata") ==
        "/services/v2/Programs/P1/Projects/J1/Attachments/A1/Metadata");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/StatusList") ==
        "/services/v2/Programs/P1/StatusList");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/StatusHistory") ==
        "/services/v2/Programs/P1/Projects/J1/StatusHistory");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Status/S1") ==
        "/services/v2/Programs/P1/Projects/J1/Status/S1");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Owner") ==
        "/services/v2/Programs/P1/Projects/J1/Owner");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/InquiryThreads") ==
        "/services/v2/Programs/P1/Projects/J1/InquiryThreads");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/InquiryThreads/T1/Notes") ==
        "/services/v2/Programs/P1/InquiryThreads/T1/Notes");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/SetInquiryNote") ==
        "/services/v2/Programs/P1/Projects/J1/SetInquiryNote");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/InquiryThreads/T1/Status/Closed") ==
        "/services/v2/Programs/P1/InquiryThreads/T1/Status/Closed");
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/InquiryThreads/T1/ExternalId/X9") ==
        "/services/v2/Programs/P1/InquiryThreads/T1/ExternalId/X9");
}

TEST_CASE("match_v1: each path selects its method") {
  CHECK(id_of(get, "/Services.svc/v1/Programs") == method_id::GetPrograms);
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/Projects/J/Forms/F/Data") ==
        method_id::GetProjectData);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/Forms/F/Data") ==
        method_id::SetProjectData);
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A/Metadata") ==
        method_id::GetAttachmentMetadata);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A/Metadata") ==
        method_id::SetAttachmentMetadata);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/Status/S") ==
        method_id::SetProjectStatus);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/StatusHistory/ReportAs") ==
        method_id::SetProjectStatusReportAs);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/InquiryThreads/T/Status/S") ==
        method_id::SetInquiryThreadStatus);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/InquiryThreads/T/ExternalId/X") ==
        method_id::SetInquiryThreadExternalId);
}

TEST_CASE("match_v1: inferred routes") {
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A") ==
        method_id::GetActiveAttachment);
  CHECK(v2(get, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A") ==
        "/services/v2/Programs/P/Projects/J/Attachments/A");
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A/Admin") ==
        method_id::GetAttachmentAsAdmin);
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/Forms/F/Attachments/A") ==
        method_id::SetProjectAttachment);
  CHECK(v2(post, "/Services.svc/v1/Programs/P/Projects/J/Forms/F/Attachments/A") ==
        "/services/v2/Programs/P/Projects/J/Forms/F/Attachments/A");
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/CustomLists/L/Choices") ==
        method_id::GetCustomListChoices);
  CHECK(id_of(get, "/Services.svc/v1/Programs/P/Projects/J/Export?v=2") ==
        method_id::GetExportProject);
  CHECK(v2(get, "/Services.svc/v1/Programs/P/Projects/J/Export?v=2") ==
        "/services/v2/Programs/P/Projects/J/Export");
  CHECK(id_of(post, "/Services.svc/v1/Programs/P/Projects/J/Assignee") == method_id::SetAssignee);
  CHECK(id_of(post, "/Services.svc/v1/Accounts/MfaSessionTokens") ==
        method_id::CreateMfaSessionToken);
  CHECK(id_of(del, "/Services.svc/v1/Accounts/MfaSessionTokens/TOK1") ==
        method_id::DeleteMfaSessionToken);
}

TEST_CASE("match_v1: admin SetProjectData writes the submitted data") {
  CHECK(v2(post, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Data", admin_opts()) ==
        "/services/v2/Programs/P1/Projects/J1/Forms/F1/Data");
  // Only SetProjectData has an admin variant: admin reads still go to the draft.
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Data", admin_opts()) ==
        "/services/v2/Programs/P1/Projects/J1/Forms/F1/Draft/Data");
}

TEST_CASE("match_v1: prefix and literal segments are case-insensitive, V2 casing written") {
  CHECK(v2(get, "/services.svc/v1/programs/P1/projects") == "/services/v2/Programs/P1/Projects");
  CHECK(v2(post, "/SERVICES.SVC/V1/PROGRAMS/p1/PROJECTS/j1/FORMS/f1/SUBMIT") ==
        "/services/v2/Programs/p1/Projects/j1/Forms/f1/Draft/Submit");
}

TEST_CASE("match_v1: ids are captured raw, percent-encoding preserved") {
  auto m = match_v1(get, "/Services.svc/v1/Programs/PRG%41/Projects/J-1.x/Forms/f_%7E/Data", user);
  REQUIRE(m.ok());
  CHECK(m->v2_target == "/services/v2/Programs/PRG%41/Projects/J-1.x/Forms/f_%7E/Draft/Data");
  REQUIRE(m->params.size() == 3);
  CHECK(m->params[0] == std::pair<std::string, std::string>{"ProgramId", "PRG%41"});
  CHECK(m->params[1] == std::pair<std::string, std::string>{"ProjectId", "J-1.x"});
  CHECK(m->params[2] == std::pair<std::string, std::string>{"FormId", "f_%7E"});
}

TEST_CASE("match_v1: a trailing slash is tolerated and not forwarded") {
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Forms/") == "/services/v2/Programs/P1/Forms");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects/?limit=5") ==
        "/services/v2/Programs/P1/Projects?limit=5");
}

TEST_CASE("match_v1: paths outside /Services.svc/v1 are 404") {
  for (std::string_view t :
       {"/foo", "/Services.svc/v2/x", "/Services.svc/v1", "/Services.svc/v1/", "/Services.svc/v10/x",
        "/Services.svcx/v1/Programs", "Services.svc/v1/Programs", "", "/", "/Services.svc/v1?x=1"}) {
    CAPTURE(t);
    auto m = match_v1(get, t, user);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().status == 404);
    CHECK(m.error().message == "not a V1 API path: V1 paths start with /Services.svc/v1/");
  }
}

TEST_CASE("match_v1: known path with the wrong verb is 405 naming the allowed verb") {
  auto m = match_v1(post, "/Services.svc/v1/Programs/P1/Projects", user);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().status == 405);
  CHECK(m.error().message == "method POST is not allowed on this path; allowed: GET");

  auto by_number = match_v1(get, "/Services.svc/v1/Programs/P1/Projects/ByNumber", user);
  REQUIRE_FALSE(by_number.ok());
  CHECK(by_number.error().message == "method GET is not allowed on this path; allowed: POST");

  auto metadata =
      match_v1(http_verb::put, "/Services.svc/v1/Programs/P/Projects/J/Attachments/A/Metadata", user);
  REQUIRE_FALSE(metadata.ok());
  CHECK(metadata.error().message == "method PUT is not allowed on this path; allowed: GET, POST");

  CHECK(status_of(get, "/Services.svc/v1/Accounts/MfaSessionTokens/T") == 405);
  CHECK(status_of(del, "/Services.svc/v1/Programs") == 405);
}

TEST_CASE("match_v1: anything else under the prefix takes the Generic route") {
  auto m = match_v1(http_verb::put, "/Services.svc/v1/Some/New/Thing?x=1&version=2", user);
  REQUIRE(m.ok());
  CHECK(m->matched->id == method_id::Generic);
  CHECK(m->matched->request_body == body_kind::xml);
  CHECK(m->matched->response_body == body_kind::xml);
  CHECK_FALSE(m->matched->idempotent);
  CHECK(m->params.empty());
  CHECK(m->v2_target == "/services/v2/Some/New/Thing?x=1");

  auto g = match_v1(get, "/services.svc/v1/Programs/P1/Widgets/W1", user);
  REQUIRE(g.ok());
  CHECK(g->matched->id == method_id::Generic);
  CHECK(g->matched->idempotent);  // only a GET is safe to retry
  CHECK(g->v2_target == "/services/v2/Programs/P1/Widgets/W1");  // V1 casing kept

  auto p = match_v1(post, "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Other", user);
  REQUIRE(p.ok());
  CHECK(p->matched->id == method_id::Generic);
  CHECK_FALSE(p->matched->idempotent);
}

TEST_CASE("match_v1: traversal and empty segments are 400") {
  for (std::string_view t :
       {"/Services.svc/v1/Programs/../Accounts", "/Services.svc/v1/Programs/./P1",
        "/Services.svc/v1/..", "/Services.svc/v1/Programs/%2e%2e/x",
        "/Services.svc/v1/Programs/%2E%2E", "/Services.svc/v1/Programs/.%2e/x",
        "/Services.svc/v1/Programs/%2e", "/Services.svc/v1/Programs//Forms",
        "/Services.svc/v1//Programs", "/Services.svc/v1/Programs/P1/Forms//",
        "/Services.svc/v1/Programs/P%zz/Forms", "/Services.svc/v1/Programs/P%2"}) {
    CAPTURE(t);
    CHECK(status_of(get, t) == 400);
  }
  auto m = match_v1(get, "/Services.svc/v1/Programs/%2e%2e/x", user);
  CHECK(m.error().message == "'.' and '..' segments are not allowed in the request path");
  auto e = match_v1(get, "/Services.svc/v1/Programs//Forms", user);
  CHECK(e.error().message == "empty path segment ('//') in the request path");
  // Dots inside an id are fine.
  CHECK(v2(get, "/Services.svc/v1/Programs/P.1/Forms") == "/services/v2/Programs/P.1/Forms");
  CHECK(v2(get, "/Services.svc/v1/Programs/..P/Forms") == "/services/v2/Programs/..P/Forms");
}

TEST_CASE("match_v1: the query is rewritten into the V2 target") {
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects?version=3&changed_since=2014-10-20&limit=10"
                "&offset=20") ==
        "/services/v2/Programs/P1/Projects?changed_since=2014-10-20T00:00:00%2B00:00&limit=10"
        "&offset=20");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects?version=2") ==
        "/services/v2/Programs/P1/Projects");
  CHECK(v2(get, "/Services.svc/v1/Programs/P/Projects/J/Forms/F/Data?reveal_sensitive_data=True"
                "&include_calculated_fields=true") ==
        "/services/v2/Programs/P/Projects/J/Forms/F/Draft/Data?reveal_sensitive_data=true");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects?changed_since=2014-10-22T00:26:26-07:00") ==
        "/services/v2/Programs/P1/Projects?changed_since=2014-10-22T00:26:26-07:00");
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects?") == "/services/v2/Programs/P1/Projects");

  match_options pacific;
  pacific.default_offset = "-08:00";
  CHECK(v2(get, "/Services.svc/v1/Programs/P1/Projects?changed_since=2014-10-20", pacific) ==
        "/services/v2/Programs/P1/Projects?changed_since=2014-10-20T00:00:00-08:00");

  auto bad = match_v1(get, "/Services.svc/v1/Programs/P1/Projects?changed_since=yesterday", user);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().status == 400);
  auto bad_limit = match_v1(get, "/Services.svc/v1/Programs/P1/Projects?limit=-1", user);
  REQUIRE_FALSE(bad_limit.ok());
  CHECK(bad_limit.error().status == 400);
}

TEST_CASE("match_v1: path errors come before query errors") {
  CHECK(status_of(get, "/foo?limit=x") == 404);
  CHECK(status_of(post, "/Services.svc/v1/Programs?limit=x") == 405);
}
