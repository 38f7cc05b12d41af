// V2 JSON -> V1 XML (v2_response_to_v1): exact bytes, 502 messages, fallback counting and
// the generic rule's edge cases. Shapes per method are pinned by tests/golden.
#include <doctest/doctest.h>

#include <pugixml.hpp>
#include <string>

#include "translators/method.hpp"
#include "translators/response_rules.hpp"
#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

const translate_context no_schema{};

std::string ok(method_id m, std::string_view json, const translate_context& ctx = no_schema) {
  auto r = v2_response_to_v1(m, json, ctx);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return r->body;
}

std::string fails(method_id m, std::string_view json) {
  auto r = v2_response_to_v1(m, json, no_schema);
  if (r) return "no failure: " + r->body;
  return std::to_string(r.error().status) + " " + r.error().message;
}

// The body without the declaration and the root's namespace declarations.
std::string inner(const std::string& body) {
  const auto start = body.find('>', body.find('<', body.find("?>") + 2));
  const auto end = body.rfind("</");
  if (end == std::string::npos || end < start) return "";
  return body.substr(start + 1, end - start - 1);
}

bool well_formed(const std::string& body) {
  pugi::xml_document doc;
  return doc.load_buffer(body.data(), body.size());
}

constexpr std::string_view root_ns =
    " xmlns=\"http://service.powerclerk.com/api/v1/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

}  // namespace

TEST_CASE("exact output: declaration, V1 namespace with the xsd/xsi declarations, compact body") {
  CHECK(default_compat_profile().xsd_xsi_declarations);  // pins the (I) v1-api.md §2.4 default
  CHECK(ok(method_id::SetProjectOwner, R"({"Owner":{"Name":"A","Email":"b@c"}})") ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SetProjectOwnerResponse" + std::string(root_ns) +
            "><Owner Name=\"A\" Email=\"b@c\"/></SetProjectOwnerResponse>");
  CHECK(ok(method_id::GetProjects, R"({"RequestTimestamp":"t"})") ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ProjectsResponse" + std::string(root_ns) +
            " RequestTimestamp=\"t\"/>");
}

TEST_CASE("root names come from the route table; unknown roots get a (I) default") {
  CHECK(ok(method_id::GetProjectData, "{}").find("<ProjectDataGetResponse ") != std::string::npos);
  CHECK(ok(method_id::SetProjectData, "{}").find("<ProjectDataSetResponse ") != std::string::npos);
  CHECK(ok(method_id::Generic, "{}").find("<Response ") != std::string::npos);
}

TEST_CASE("every method translates an empty object, a null-only object and an empty body") {
  for (int i = 0; i < method_count; ++i) {
    const auto m = static_cast<method_id>(i);
    CAPTURE(method_name(m));
    CHECK(well_formed(ok(m, "{}")));
    CHECK(well_formed(ok(m, R"({"Project":null,"Projects":null,"Url":null,"Status":null})")));
    CHECK(well_formed(ok(m, " \r\n")));  // mapping.md §4 rule 9: the empty root
    CHECK(well_formed(ok(m, R"({"Extra":{"Deep":[{"A":[1,[2,{"B":null}]]}]},"X":"&<>\""})")));
  }
}

TEST_CASE("502 when the answer is not a JSON object") {
  CHECK(fails(method_id::GetProjects, "[1,2]") == "502 GetProjects: cannot translate V2 answer: (root) is not an object (got array)");
  CHECK(fails(method_id::GetProjects, "null") == "502 GetProjects: cannot translate V2 answer: (root) is not an object (got null)");
  CHECK(fails(method_id::GetProjects, "\"text\"") == "502 GetProjects: cannot translate V2 answer: (root) is not an object (got string)");
  CHECK(fails(method_id::GetProjects, "Internal Server Error") ==
        "502 GetProjects: cannot translate V2 answer: (root) invalid JSON: not JSON at offset 0");
  CHECK(fails(method_id::GetProjects, "{} {}") ==
        "502 GetProjects: cannot translate V2 answer: (root) invalid JSON: unexpected data after the JSON document at offset 3");
}

TEST_CASE("502 messages name the method and the member path") {
  CHECK(fails(method_id::GetProjects, R"({"Projects":[{"ProjectId":"P1"})") ==
        "502 GetProjects: cannot translate V2 answer: Projects invalid JSON: unexpected end of input at offset 31");
  CHECK(fails(method_id::GetProjects, R"({"Projects":[{"ProjectId":"P1"},{"CurrentStatus":"Open"}]})") ==
        "502 GetProjects: cannot translate V2 answer: Projects[1].CurrentStatus is not an object (got string)");
  CHECK(fails(method_id::GetProjects, R"({"Projects":[{"ProjectOwner":[1]}]})") ==
        "502 GetProjects: cannot translate V2 answer: Projects[0].ProjectOwner is not an object (got array)");
  CHECK(fails(method_id::GetProjectData, R"({"Project":[]})") ==
        "502 GetProjectData: cannot translate V2 answer: Project is not an object (got array)");
  CHECK(fails(method_id::GetProjectData, R"({"Project":{"DataFields":[{"DataFieldId":"D1","Value":{"x":1}}]}})") ==
        "502 GetProjectData: cannot translate V2 answer: Project.DataFields[0].Value is not a string (got object)");
  CHECK(fails(method_id::GetAllProjectData, R"({"Project":{"DataFields":[{"DataFieldId":"D1","Values":"a"}]}})") ==
        "502 GetAllProjectData: cannot translate V2 answer: Project.DataFields[0].Values is not an array (got string)");
  CHECK(fails(method_id::SetProjectData, R"({"Project":{"Attachments":"none"}})") ==
        "502 SetProjectData: cannot translate V2 answer: Project.Attachments is not an array (got string)");
  CHECK(fails(method_id::GetAttachmentMetadata, R"({"AttachmentMetadata":{"Uploader":"pat"}})") ==
        "502 GetAttachmentMetadata: cannot translate V2 answer: AttachmentMetadata.Uploader is not an object (got string)");
  CHECK(fails(method_id::GetProjectData, "{\"Project\":{\"ProjectId\":\"P\xC3\"}}") ==
        "502 GetProjectData: cannot translate V2 answer: Project.ProjectId invalid JSON: invalid UTF-8 in a string at offset 26");
  CHECK(fails(method_id::GetFormSchema, R"({"FormSchema":{"DataFields":[{"Properties":{"Min":1,"Max":}}]}})") ==
        "502 GetFormSchema: cannot translate V2 answer: FormSchema.DataFields[0].Properties.Max invalid JSON: "
        "unexpected character at offset 58");
}

TEST_CASE("nesting beyond the limit is a 502, not a stack overflow") {
  const std::string deep = "{\"A\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  const std::string message = fails(method_id::Generic, deep);
  CHECK(message.starts_with("502 Generic: cannot translate V2 answer: A"));
  CHECK(message.find("nesting too deep") != std::string::npos);
  const std::string deep_objects = [] {
    std::string s;
    for (int i = 0; i < 3000; ++i) s += "{\"A\":";
    s += "1";
    s += std::string(3000, '}');
    return s;
  }();
  CHECK(fails(method_id::Generic, deep_objects).find("nesting too deep") != std::string::npos);
}

TEST_CASE("typing fallbacks are counted per value converted by pattern") {
  const std::string answer =
      R"({"Project":{"DataFields":[{"DataFieldId":"D1","Value":"2024-01-02"},{"DataFieldId":"D2","Value":"false"},)"
      R"({"DataFieldId":"D3","Values":["2024-01-03","x","true"]},{"DataFieldId":"D4","Value":"2024-1-2"}]}})";
  auto plain = v2_response_to_v1(method_id::GetProjectData, answer, no_schema);
  REQUIRE(plain);
  CHECK(plain->typing_fallbacks == 4);
  CHECK(inner(plain->body).find(R"(Value="01/02/2024")") != std::string::npos);

  field_type_map types;
  types.by_id = {{"D1", value_type::text}, {"D2", value_type::boolean}, {"D3", value_type::date}, {"D4", value_type::date}};
  translate_context ctx;
  ctx.types = &types;
  auto typed = v2_response_to_v1(method_id::GetProjectData, answer, ctx);
  REQUIRE(typed);
  CHECK(typed->typing_fallbacks == 0);
  CHECK(inner(typed->body) ==
        R"(<Project><DataFields><DataField DataFieldId="D1" Value="2024-01-02"/>)"
        R"(<DataField DataFieldId="D2" Value="False"/>)"
        R"(<DataField DataFieldId="D3" Value="01/03/2024" Instance="0"/>)"
        R"(<DataField DataFieldId="D3" Value="x" Instance="1"/>)"
        R"(<DataField DataFieldId="D3" Value="true" Instance="2"/>)"
        R"(<DataField DataFieldId="D4" Value="2024-1-2"/></DataFields></Project>)");

  // Values outside data fields are never typed.
  auto forms = v2_response_to_v1(method_id::GetProjects, R"({"Projects":[{"ProjectId":"2024-01-02","Flag":"true"}]})", no_schema);
  REQUIRE(forms);
  CHECK(forms->typing_fallbacks == 0);
  CHECK(inner(forms->body) == R"(<Projects><Project ProjectId="2024-01-02" Flag="true"/></Projects>)");
}

TEST_CASE("a field found by CustomId in the schema is typed") {
  field_type_map types;
  types.by_id = {{"StartDate", value_type::date}};
  translate_context ctx;
  ctx.types = &types;
  auto r = v2_response_to_v1(method_id::GetProjectData,
                             R"({"Project":{"DataFields":[{"DataFieldId":"DFX","CustomId":"StartDate","Value":"2024-07-04"}]}})", ctx);
  REQUIRE(r);
  CHECK(r->typing_fallbacks == 0);
  CHECK(inner(r->body) == R"(<Project><DataFields><DataField DataFieldId="DFX" Value="07/04/2024"/></DataFields></Project>)");
}

TEST_CASE("an attribute name is written once: the first member wins") {
  CHECK(inner(ok(method_id::GetForms, R"({"Forms":[{"Name":"A","Title":"B"}]})")) ==
        R"(<Forms><Form Title="A"/></Forms>)");
  CHECK(inner(ok(method_id::GetForms, R"({"Forms":[{"Title":"B","Name":"A"}]})")) ==
        R"(<Forms><Form Title="B"/></Forms>)");
  CHECK(inner(ok(method_id::GetPrograms, R"({"Programs":[{"A":"1","A":"2"}]})")) ==
        R"(<Programs><Program A="1"/></Programs>)");
  CHECK(inner(ok(method_id::GetProjects, R"({"Projects":[{"Status":"Legacy","CurrentStatus":{"Name":"New"}}]})")) ==
        R"(<Projects><Project Status="Legacy"/></Projects>)");
  // A late duplicate (after the start tag was written) is dropped as well.
  CHECK(inner(ok(method_id::GetPrograms, R"({"Programs":[{"A":"1","L":[],"A":"2","B":"3"}]})")) ==
        R"(<Programs><Program A="1" B="3"><L/></Program></Programs>)");
}

TEST_CASE("member names that are not XML names are encoded, never declare namespaces") {
  const std::string body =
      ok(method_id::GetPrograms, R"({"Programs":[{"my key":"1","a:b":"2","xmlns":"3","\u0041bc":"4"}],"1st":{"x y":[1]}})");
  CHECK(inner(body) ==
        R"(<Programs><Program my_x0020_key="1" a_x003A_b="2" _x0078_mlns="3" Abc="4"/></Programs>)"
        R"(<_x0031_st><x_x0020_y><x_x0020_yItem>1</x_x0020_yItem></x_x0020_y></_x0031_st>)");
  pugi::xml_document doc;
  REQUIRE(doc.load_string(body.c_str()));
  CHECK(std::string_view(doc.document_element().attribute("xmlns").value()) == v1_namespace);
}

TEST_CASE("escaped member names are decoded before rules are looked up") {
  CHECK(inner(ok(method_id::GetProjects, R"({"\u0050rojects":[{"\u0055rl":"http://u"}]})")) ==
        R"(<Projects><Project><Url Value="http://u"/></Project></Projects>)");
}

TEST_CASE("numbers and booleans are written as in the JSON text; CanSubmit is xs:boolean true/false, IsAdmin True/False") {
  CHECK(inner(ok(method_id::GetPrograms, R"({"Programs":[{"N":-0.0e-0,"B":true,"C":12345678901234567890}]})")) ==
        R"(<Programs><Program N="-0.0e-0" B="true" C="12345678901234567890"/></Programs>)");
  CHECK(inner(ok(method_id::GetProjectData, R"({"Project":{"CanSubmit":true}})")) == R"(<Project CanSubmit="true"/>)");
  CHECK(inner(ok(method_id::GetProjectData, R"({"Project":{"CanSubmit":"False"}})")) == R"(<Project CanSubmit="false"/>)");
  CHECK(inner(ok(method_id::GetNotesInInquiryThread, R"({"Notes":[{"IsAdmin":"false"}]})")) ==
        R"(<Notes><Note IsAdmin="False"/></Notes>)");
}

TEST_CASE("scalars after child elements are inserted into the written start tag") {
  CHECK(inner(ok(method_id::GetPrograms,
                 R"({"Programs":[{"Sub":{"A":"1"},"B":"2","List":[{"C":"3"}],"D":"4"}]})")) ==
        R"(<Programs><Program B="2" D="4"><Sub A="1"/><List><ListItem C="3"/></List></Program></Programs>)");
  // and into the root's tag, after its namespace declarations
  const std::string body = ok(method_id::GetProjects, R"({"Projects":[],"RequestTimestamp":"t"})");
  CHECK(body.find(std::string(root_ns) + " RequestTimestamp=\"t\"><Projects/>") != std::string::npos);
}

TEST_CASE("Url placement: first child, last child of the root, or beside its element; SubmitProject both (rule 8)") {
  CHECK(inner(ok(method_id::GetProjectData, R"({"Project":{"DataFields":[],"Url":"u"}})")) ==
        R"(<Project><Url Value="u"/><DataFields/></Project>)");
  CHECK(inner(ok(method_id::SubmitProject, R"({"Project":{"ProjectId":"P","Url":"u"}})")) ==
        R"(<Project ProjectId="P"><Url Value="u"/></Project><Url Value="u"/>)");
  // A Url V2 puts under the root is written beside Project only: Project may be written already.
  CHECK(inner(ok(method_id::SubmitProject, R"({"Url":"u","Project":{"ProjectId":"P"}})")) ==
        R"(<Project ProjectId="P"/><Url Value="u"/>)");
  CHECK(inner(ok(method_id::GetProjectData, R"({"Project":{"Url":7}})")) == R"(<Project><Url Value="7"/></Project>)");
}

TEST_CASE("data fields: children and Url inside a multi-instance field are repeated per instance") {
  CHECK(inner(ok(method_id::GetProjectData,
                 R"({"Project":{"DataFields":[{"DataFieldId":"D","Values":["a","b"],"Meta":{"K":"v"}}]}})")) ==
        R"(<Project><DataFields><DataField DataFieldId="D" Value="a" Instance="0"><Meta K="v"/></DataField>)"
        R"(<DataField DataFieldId="D" Value="b" Instance="1"><Meta K="v"/></DataField></DataFields></Project>)");
  // Values wins over a non-null Value.
  CHECK(inner(ok(method_id::GetProjectData,
                 R"({"Project":{"DataFields":[{"DataFieldId":"D","Value":"v","Values":["a"]}]}})")) ==
        R"(<Project><DataFields><DataField DataFieldId="D" Value="a" Instance="0"/></DataFields></Project>)");
  // number and boolean values are kept as text
  CHECK(inner(ok(method_id::GetProjectData,
                 R"({"Project":{"DataFields":[{"DataFieldId":"D","Value":0.5},{"DataFieldId":"E","Values":[1,false]}]}})")) ==
        R"(<Project><DataFields><DataField DataFieldId="D" Value="0.5"/>)"
        R"(<DataField DataFieldId="E" Value="1" Instance="0"/><DataField DataFieldId="E" Value="False" Instance="1"/></DataFields></Project>)");
}

TEST_CASE("inquiry methods rewrite inquiry timestamps anywhere, other methods never") {
  CHECK(inner(ok(method_id::GetInquiryThreads, R"({"InquiryThreads":[{"D":"2023-03-01T09:30:00-08","L":["2023-03-02T00:00:00Z"]}]})")) ==
        R"(<InquiryThreads><InquiryThread D="03/01/2023"><L><LItem>03/02/2023</LItem></L></InquiryThread></InquiryThreads>)");
  CHECK(inner(ok(method_id::GetProjects, R"({"Projects":[{"D":"2023-03-01T09:30:00-08"}]})")) ==
        R"(<Projects><Project D="2023-03-01T09:30:00-08"/></Projects>)");
}

TEST_CASE("a long answer keeps its order and is complete") {
  std::string answer = R"({"Projects":[)";
  for (int i = 0; i < 2000; ++i) {
    if (i) answer += ',';
    answer += R"({"ProjectId":"P)" + std::to_string(i) + R"(","CurrentStatus":{"Name":"S","StatusId":"X"}})";
  }
  answer += "]}";
  const std::string body = ok(method_id::GetProjects, answer);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(body.c_str()));
  int n = 0;
  for (auto p : doc.document_element().child("Projects").children("Project")) {
    CHECK(std::string_view(p.attribute("ProjectId").value()).substr(1) == std::to_string(n));
    ++n;
  }
  CHECK(n == 2000);
}

TEST_CASE("rules reach every kind of element: more kinds than an engine remembers, kinds alternating at one depth") {
  // K0..K15 with the root and Project are more kinds than the 16 whose rules an engine keeps,
  // so the fields and attachments after them take the path that collects rules each time.
  // At one depth the kinds then alternate: a typed DataField (its date converted without a
  // schema), an Attachment (never typed, CustomId dropped), a DataField again.
  std::string json = R"({"Project":{)";
  std::string expected = "<Project>";
  for (int i = 0; i < 16; ++i) {
    const std::string name = "K" + std::to_string(i);
    json += "\"" + name + "\":{\"IsAdmin\":" + (i % 2 ? "true" : "false") + "},";
    expected += "<" + name + " IsAdmin=\"" + (i % 2 ? "True" : "False") + "\"/>";
  }
  json += R"("DataFields":[{"DataFieldId":"A","CustomId":"c","Value":"2024-02-02"}],)"
          R"("Attachments":[{"CustomId":"c","Value":"2024-02-02"}],)"
          R"("CalculatedFields":[{"DataFieldId":"B","Value":"2024-02-03"}]}})";
  expected += R"(<DataFields><DataField DataFieldId="A" Value="02/02/2024"/></DataFields>)"
              R"(<Attachments><Attachment Value="2024-02-02"/></Attachments>)"
              R"(<CalculatedFields><DataField DataFieldId="B" Value="02/03/2024"/></CalculatedFields></Project>)";
  CHECK(inner(ok(method_id::GetProjectData, json)) == expected);
  // The same kinds, few enough to be remembered.
  CHECK(inner(ok(method_id::GetProjectData,
                 R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":"2024-02-02"}],"Attachments":[{"Value":"2024-02-02"}],)"
                 R"("CalculatedFields":[{"DataFieldId":"B","Value":"2024-02-03"}]}})")) ==
        R"(<Project><DataFields><DataField DataFieldId="A" Value="02/02/2024"/></DataFields>)"
        R"(<Attachments><Attachment Value="2024-02-02"/></Attachments>)"
        R"(<CalculatedFields><DataField DataFieldId="B" Value="02/03/2024"/></CalculatedFields></Project>)");
}
