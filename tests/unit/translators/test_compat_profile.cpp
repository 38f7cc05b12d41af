// The compatibility profile (mapping.md §8, issue 10 item 10): each setting's non-default value
// changes the exact output, and the names the configuration and the CLI accept.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "translators/compat_profile.hpp"
#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

constexpr std::string_view decl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
constexpr std::string_view ns = " xmlns=\"http://service.powerclerk.com/api/v1/\"";
constexpr std::string_view xsd_xsi =
    " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

// The whole answer, with `profile` (default: mapping.md's).
std::string answer(method_id m, std::string_view json, const compat_profile& profile = default_compat_profile()) {
  translate_context ctx;
  ctx.compat = &profile;
  auto r = v2_response_to_v1(m, json, ctx);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return r->body;
}

// The document <Root ns xsd xsi>inner</Root>.
std::string doc(std::string_view root, std::string_view inner) {
  return std::string(decl) + "<" + std::string(root) + std::string(ns) + std::string(xsd_xsi) + ">" +
         std::string(inner) + "</" + std::string(root) + ">";
}

compat_profile with(std::string_view key, std::string_view value) {
  compat_profile p;
  const auto problem = set_compat(p, key, value);
  REQUIRE_MESSAGE(!problem, *problem);
  return p;
}

}  // namespace

TEST_CASE("compat object_booleans (I, mapping.md §3): CanSubmit and Deleted true/false by default, capitalized True/False") {
  constexpr std::string_view data = R"({"Project":{"ProjectId":"P1","CanSubmit":true}})";
  CHECK(answer(method_id::GetProjectData, data) == doc("ProjectDataGetResponse", R"(<Project ProjectId="P1" CanSubmit="true"/>)"));
  CHECK(answer(method_id::GetProjectData, data, with("object_booleans", "capitalized")) ==
        doc("ProjectDataGetResponse", R"(<Project ProjectId="P1" CanSubmit="True"/>)"));
  constexpr std::string_view forms = R"({"Forms":[{"FormId":"F","AvailableInStatuses":[{"StatusId":"S","Deleted":true},{"StatusId":"T"}]}]})";
  CHECK(answer(method_id::GetForms, forms) ==
        doc("FormsResponse", R"(<Forms><Form FormId="F"><AvailableInStatuses><Status StatusId="S" Deleted="true"/>)"
                             R"(<Status StatusId="T" Deleted="false"/></AvailableInStatuses></Form></Forms>)"));
  CHECK(answer(method_id::GetForms, forms, with("object_booleans", "capitalized")) ==
        doc("FormsResponse", R"(<Forms><Form FormId="F"><AvailableInStatuses><Status StatusId="S" Deleted="True"/>)"
                             R"(<Status StatusId="T" Deleted="False"/></AvailableInStatuses></Form></Forms>)"));
}

TEST_CASE("compat is_admin_boolean (M string, I spelling): IsAdmin True/False by default, lower true/false") {
  constexpr std::string_view notes = R"({"Notes":[{"IsAdmin":true},{"IsAdmin":"false"}]})";
  CHECK(answer(method_id::GetNotesInInquiryThread, notes) ==
        doc("InquiryNotesResponse", R"(<Notes><Note IsAdmin="True"/><Note IsAdmin="False"/></Notes>)"));
  CHECK(answer(method_id::GetNotesInInquiryThread, notes, with("is_admin_boolean", "lower")) ==
        doc("InquiryNotesResponse", R"(<Notes><Note IsAdmin="true"/><Note IsAdmin="false"/></Notes>)"));
}

TEST_CASE("compat submit_project_url (rule 8 superset): both by default, inside, beside") {
  constexpr std::string_view submit = R"({"Project":{"ProjectId":"P1","Url":"http://u?a&b"}})";
  CHECK(answer(method_id::SubmitProject, submit) ==
        doc("ProjectSubmitResponse",
            R"(<Project ProjectId="P1"><Url Value="http://u?a&amp;b"/></Project><Url Value="http://u?a&amp;b"/>)"));
  CHECK(answer(method_id::SubmitProject, submit, with("submit_project_url", "inside")) ==
        doc("ProjectSubmitResponse", R"(<Project ProjectId="P1"><Url Value="http://u?a&amp;b"/></Project>)"));
  CHECK(answer(method_id::SubmitProject, submit, with("submit_project_url", "beside")) ==
        doc("ProjectSubmitResponse", R"(<Project ProjectId="P1"/><Url Value="http://u?a&amp;b"/>)"));
}

TEST_CASE("compat data_current_status (rule 8 superset): element and attributes by default, element, attributes") {
  constexpr std::string_view data =
      R"({"Project":{"ProjectId":"P1","Url":"u","CurrentStatus":{"StatusId":"S1","CustomId":"C","Name":"Draft","Timestamp":"T"},"DataFields":[]}})";
  CHECK(answer(method_id::GetProjectData, data) ==
        doc("ProjectDataGetResponse", R"(<Project ProjectId="P1" Status="Draft" StatusTimestamp="T"><Url Value="u"/>)"
                                      R"(<CurrentStatus StatusId="S1" Name="Draft" Timestamp="T"/><DataFields/></Project>)"));
  CHECK(answer(method_id::SetProjectData, data, with("data_current_status", "element")) ==
        doc("ProjectDataSetResponse", R"(<Project ProjectId="P1"><Url Value="u"/>)"
                                      R"(<CurrentStatus StatusId="S1" Name="Draft" Timestamp="T"/><DataFields/></Project>)"));
  CHECK(answer(method_id::GetAllProjectData, data, with("data_current_status", "attributes")) ==
        doc("ProjectDataGetResponse",
            R"(<Project ProjectId="P1" Status="Draft" StatusTimestamp="T"><Url Value="u"/><DataFields/></Project>)"));
}

TEST_CASE("CurrentStatus: the public id is read from PublicId as well as StatusId (mapping.md §4 rule 3)") {
  CHECK(answer(method_id::GetProjectData, R"({"Project":{"CurrentStatus":{"PublicId":"S7","Name":"N"}}})") ==
        doc("ProjectDataGetResponse", R"(<Project Status="N"><CurrentStatus StatusId="S7" Name="N"/></Project>)"));
  // Both present: StatusId (the V2 samples' name) wins, written once.
  CHECK(answer(method_id::GetProjectData, R"({"Project":{"CurrentStatus":{"PublicId":"S7","StatusId":"S8"}}})") ==
        doc("ProjectDataGetResponse", R"(<Project><CurrentStatus StatusId="S8"/></Project>)"));
  CHECK(answer(method_id::GetProjects, R"({"Projects":[{"CurrentStatus":{"PublicId":"S7","CustomId":"c","Name":"N"}}]})") ==
        doc("ProjectsResponse", R"(<Projects><Project Status="N" StatusCustomId="c" StatusPublicId="S7"/></Projects>)"));
}

TEST_CASE("compat status_deleted (I, mapping.md §4 rule 7): Deleted=\"false\" on status lists by default, omit") {
  constexpr std::string_view list = R"({"Statuses":[{"StatusId":"S1","Name":"A"},{"StatusId":"S2","Deleted":true}]})";
  CHECK(answer(method_id::GetStatusList, list) ==
        doc("StatusListResponse",
            R"(<Statuses><Status StatusId="S1" Name="A" Deleted="false"/><Status StatusId="S2" Deleted="true"/></Statuses>)"));
  CHECK(answer(method_id::GetStatusList, list, with("status_deleted", "omit")) ==
        doc("StatusListResponse",
            R"(<Statuses><Status StatusId="S1" Name="A"/><Status StatusId="S2" Deleted="true"/></Statuses>)"));
}

TEST_CASE("compat xsd_xsi_declarations (I, v1-api.md §2.4): emitted by default, omit") {
  CHECK(answer(method_id::GetPrograms, "{}") == std::string(decl) + "<ProgramsResponse" + std::string(ns) + std::string(xsd_xsi) + "/>");
  CHECK(answer(method_id::GetPrograms, "{}", with("xsd_xsi_declarations", "omit")) ==
        std::string(decl) + "<ProgramsResponse" + std::string(ns) + "/>");
}

TEST_CASE("compat scalar_items (I, mapping.md §4 rule 2): element text by default, value_attribute") {
  constexpr std::string_view list = R"({"Choices":["A&B","C"]})";
  CHECK(answer(method_id::Generic, list) == doc("Response", R"(<Choices><Choice>A&amp;B</Choice><Choice>C</Choice></Choices>)"));
  CHECK(answer(method_id::Generic, list, with("scalar_items", "value_attribute")) ==
        doc("Response", R"(<Choices><Choice Value="A&amp;B"/><Choice Value="C"/></Choices>)"));
}

TEST_CASE("compat empty_values (I, mapping.md §4 rule 6): a field with no instance written once by default, omit") {
  constexpr std::string_view data = R"({"Project":{"DataFields":[{"DataFieldId":"F","Values":[]}]}})";
  CHECK(answer(method_id::GetProjectData, data) ==
        doc("ProjectDataGetResponse", R"(<Project><DataFields><DataField DataFieldId="F"/></DataFields></Project>)"));
  CHECK(answer(method_id::GetProjectData, data, with("empty_values", "omit")) ==
        doc("ProjectDataGetResponse", R"(<Project><DataFields></DataFields></Project>)"));
}

TEST_CASE("compat response_roots (I, mapping.md §6): a method's root name, the empty answer too") {
  compat_profile p;
  REQUIRE_FALSE(set_compat_root(p, "GetPrograms", "ProgramList"));
  REQUIRE_FALSE(set_compat_root(p, "Generic", "Answer"));
  CHECK(answer(method_id::GetPrograms, R"({"Programs":[]})", p) == doc("ProgramList", "<Programs/>"));
  CHECK(answer(method_id::GetPrograms, "", p) == std::string(decl) + "<ProgramList" + std::string(ns) + std::string(xsd_xsi) + "/>");
  CHECK(answer(method_id::Generic, R"({"A":"1"})", p) ==
        std::string(decl) + "<Answer" + std::string(ns) + std::string(xsd_xsi) + " A=\"1\"/>");
  CHECK(answer(method_id::GetForms, "{}", p) == std::string(decl) + "<FormsResponse" + std::string(ns) + std::string(xsd_xsi) + "/>");
  CHECK(set_compat_root(p, "GetProgramz", "X") == std::optional<std::string>("unknown V1 method"));
  CHECK(set_compat_root(p, "GetPrograms", "a:b").has_value());
  CHECK(set_compat_root(p, "GetPrograms", "1st").has_value());
  CHECK(set_compat_root(p, "GetPrograms", "").has_value());
}

TEST_CASE("compat error_body (I, mapping.md §7): the <Error/> document by default, text") {
  CHECK(v1_error_body(404, "no such project", "r1") ==
        std::string(decl) + "<Error" + std::string(ns) + R"( Status="404" Message="no such project" RequestId="r1"/>)");
  CHECK(v1_error_content_type(error_body_form::xml) == "application/xml; charset=utf-8");
  CHECK(v1_error_body(404, "no such\nproject", "r1", error_body_form::text) == "no such project");
  CHECK(v1_error_content_type(error_body_form::text) == "text/plain; charset=utf-8");
}

TEST_CASE("compat settings: every key parses its listed values, defaults first; unknown keys and values are refused") {
  std::set<std::string_view> keys;
  for (const compat_setting& s : compat_settings()) {
    CAPTURE(s.key);
    CHECK(keys.insert(s.key).second);
    CHECK_FALSE(s.evidence.empty());
    REQUIRE(s.values.size() >= (s.any_name ? 1U : 2U));
    for (std::string_view v : s.values) {
      compat_profile p;
      CHECK_FALSE(set_compat(p, s.key, v).has_value());
    }
  }
  CHECK(keys.size() == 11);
  compat_profile p;
  CHECK(set_compat(p, "object_booleans", "True") == std::optional<std::string>("expected one of: lower, capitalized"));
  CHECK(set_compat(p, "submit_project_url", "") == std::optional<std::string>("expected one of: both, inside, beside"));
  CHECK(set_compat(p, "no_such_key", "x") == std::optional<std::string>("unknown key"));
  // The defaults are the first values: a profile set to them equals the default profile's output.
  compat_profile firsts;
  for (const compat_setting& s : compat_settings()) REQUIRE_FALSE(set_compat(firsts, s.key, s.values[0]));
  constexpr std::string_view data =
      R"({"Project":{"CanSubmit":false,"CurrentStatus":{"StatusId":"S","Name":"N"},"DataFields":[{"DataFieldId":"F","Values":[]}]}})";
  CHECK(answer(method_id::GetProjectData, data, firsts) == answer(method_id::GetProjectData, data));
}
