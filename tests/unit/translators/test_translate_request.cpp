// V1 XML -> V2 JSON (v1_request_to_v2, v1_request_to_v2_with_current): 400 messages, limits,
// namespaces, instance handling and value typing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "translators/translate.hpp"
#include "translators/v1_xml_to_json.hpp"

using namespace pcbridge::translators;
using nlohmann::json;

namespace {

const translate_context no_schema{};

json ok(method_id m, std::string_view xml, const translate_context& ctx = no_schema) {
  auto r = v1_request_to_v2(m, xml, ctx);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  REQUIRE_FALSE(r->needs_current_data);
  return json::parse(r->body);
}

std::string fails(method_id m, std::string_view xml, const translate_context& ctx = no_schema) {
  auto r = v1_request_to_v2(m, xml, ctx);
  if (r) return "no failure: " + r->body;
  return std::to_string(r.error().status) + " " + r.error().message;
}

std::string data_request(std::string_view fields) {
  return R"(<ProjectDataRequest xmlns="http://service.powerclerk.com/api/v1/"><Project><DataFields>)" + std::string(fields) +
         "</DataFields></Project></ProjectDataRequest>";
}

}  // namespace

TEST_CASE("malformed XML is a 400 with pugixml's description and offset") {
  CHECK(fails(method_id::SetProjectOwner, "<a><b></a>") == "400 SetProjectOwner: malformed XML: Start-end tags mismatch at offset 8");
  CHECK(fails(method_id::SetProjectData, "<ProjectDataRequest") ==
        "400 SetProjectData: malformed XML: Error parsing start element tag at offset 18");
  CHECK(fails(method_id::SetProjectData, "just text") == "400 SetProjectData: malformed XML: No document element found at offset 9");
}

TEST_CASE("XML depth limit") {
  auto nested = [](int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "<E>";
    for (int i = 0; i < depth; ++i) s += "</E>";
    return s;
  };
  CHECK(v1_request_to_v2(method_id::SetInquiryNote, nested(max_request_xml_depth), no_schema).ok());
  CHECK(fails(method_id::SetInquiryNote, nested(max_request_xml_depth + 1)) ==
        "400 SetInquiryNote: XML nested deeper than 64 elements");
  CHECK(fails(method_id::SetProjectData, nested(10000)) == "400 SetProjectData: XML nested deeper than 64 elements");
}

TEST_CASE("namespaces: V1, V1 without the slash, none; others refused") {
  const std::string body = "<OwnerEmail>a@b</OwnerEmail>";
  for (const char* open : {R"(<SetProjectOwnerRequest xmlns="http://service.powerclerk.com/api/v1/">)",
                           R"(<SetProjectOwnerRequest xmlns="http://service.powerclerk.com/api/v1">)",
                           R"(<SetProjectOwnerRequest>)", R"(<SetProjectOwnerRequest xmlns="">)"}) {
    CAPTURE(open);
    CHECK(ok(method_id::SetProjectOwner, std::string(open) + body + "</SetProjectOwnerRequest>") == json{{"OwnerEmail", "a@b"}});
  }
  CHECK(ok(method_id::SetProjectOwner,
           R"(<p:SetProjectOwnerRequest xmlns:p="http://service.powerclerk.com/api/v1/"><p:OwnerEmail>a@b</p:OwnerEmail></p:SetProjectOwnerRequest>)") ==
        json{{"OwnerEmail", "a@b"}});
  CHECK(fails(method_id::SetProjectOwner, R"(<SetProjectOwnerRequest xmlns="urn:x"><OwnerEmail>a</OwnerEmail></SetProjectOwnerRequest>)") ==
        "400 SetProjectOwner: request root SetProjectOwnerRequest is in namespace 'urn:x', expected 'http://service.powerclerk.com/api/v1/'");
  CHECK(fails(method_id::SetProjectOwner, R"(<p:R xmlns:p="http://service.powerclerk.com/api/v2"/>)") ==
        "400 SetProjectOwner: request root R is in namespace 'http://service.powerclerk.com/api/v2', expected 'http://service.powerclerk.com/api/v1/'");
  CHECK(fails(method_id::SetProjectOwner, R"(<p:R/>)") ==
        "400 SetProjectOwner: namespace prefix 'p' of the request root is not declared");
  // a prefixed root whose default namespace is foreign is judged by its own prefix
  CHECK(ok(method_id::SetProjectOwner,
           R"(<p:R xmlns="urn:x" xmlns:p="http://service.powerclerk.com/api/v1/"><OwnerEmail>a@b</OwnerEmail></p:R>)") ==
        json{{"OwnerEmail", "a@b"}});
}

TEST_CASE("empty bodies: 400 where V1 requires XML, nothing to send otherwise") {
  CHECK(fails(method_id::SetProjectData, "") == "400 SetProjectData: empty request body; V1 XML expected");
  CHECK(fails(method_id::GetProjectsByData, " \r\n") == "400 GetProjectsByData: empty request body; V1 XML expected");
  CHECK(fails(method_id::SetAttachmentMetadata, "") == "400 SetAttachmentMetadata: empty request body; V1 XML expected");
  for (auto m : {method_id::SetInquiryThreadStatus, method_id::SetInquiryThreadExternalId, method_id::Generic,
                 method_id::SubmitProject, method_id::GetProjects}) {
    auto r = v1_request_to_v2(m, "", no_schema);
    REQUIRE(r);
    CHECK(r->body.empty());
  }
  // Methods without a request body ignore one that was sent anyway.
  auto r = v1_request_to_v2(method_id::SubmitProject, "<x/>", no_schema);
  REQUIRE(r);
  CHECK(r->body.empty());
}

TEST_CASE("body must be UTF-8 (or another encoding pugixml detects from a BOM)") {
  CHECK(fails(method_id::SetProjectOwner, "<R><OwnerEmail>\xC3</OwnerEmail></R>") ==
        "400 SetProjectOwner: request body is not valid UTF-8");
  // UTF-16LE with BOM: converted.
  const std::string utf8 = "<R><OwnerEmail>\xC3\xA9@b</OwnerEmail></R>";
  std::string utf16 = "\xFF\xFE";
  const std::u16string u = u"<R><OwnerEmail>\u00e9@b</OwnerEmail></R>";
  for (char16_t c : u) {
    utf16 += static_cast<char>(c & 0xFF);
    utf16 += static_cast<char>(c >> 8);
  }
  CHECK(ok(method_id::SetProjectOwner, utf16) == json{{"OwnerEmail", "\xC3\xA9@b"}});
  CHECK(ok(method_id::SetProjectOwner, utf8) == json{{"OwnerEmail", "\xC3\xA9@b"}});
}

TEST_CASE("SetProjectData: field errors are 400s naming the field") {
  CHECK(fails(method_id::SetProjectData, R"(<ProjectDataRequest><DataFields/></ProjectDataRequest>)") ==
        "400 SetProjectData: request has no Project element");
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="A" Value="1"/><DataField Value="2"/>)")) ==
        "400 SetProjectData: DataField #2 has no DataFieldId");
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId=" " Value="2"/>)")) ==
        "400 SetProjectData: DataField #1 has no DataFieldId");
  for (const char* index : {"-1", "1.5", "abc", "", "10000", "99999999999"}) {
    CAPTURE(index);
    CHECK(fails(method_id::SetProjectData, data_request(std::string(R"(<DataField DataFieldId="F1" Value="a" Instance=")") + index + "\"/>")) ==
          std::string("400 SetProjectData: DataField F1: instance index \"") + index + "\" is not an integer from 0 to 9999");
  }
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="F1" Value="a"/><DataField DataFieldId="F1" Value="b" Instance="0"/>)")) ==
        "400 SetProjectData: DataField F1 is sent both with and without an instance index");
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="F1" Value="b" Instance="0"/><DataField DataFieldId="F1" Value="a"/>)")) ==
        "400 SetProjectData: DataField F1 is sent both with and without an instance index");
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="F1" Instance="1"/><DataField DataFieldId="F1" InstanceId="1"/>)")) ==
        "400 SetProjectData: DataField F1 has instance 1 more than once");
}

TEST_CASE("SetProjectData: values typed by the schema") {
  field_type_map types;
  types.by_id = {{"D", value_type::date}, {"B", value_type::boolean}, {"T", value_type::text}};
  translate_context ctx;
  ctx.types = &types;
  auto value_of = [&](std::string_view id, std::string_view v) {
    auto r = v1_request_to_v2(method_id::SetProjectData,
                              data_request("<DataField DataFieldId=\"" + std::string(id) + "\" Value=\"" + std::string(v) + "\"/>"), ctx);
    if (!r) return std::to_string(r.error().status) + " " + r.error().message;
    CHECK(r->typing_fallbacks == 0);
    return json::parse(r->body)["Project"]["DataFields"][0]["Value"].get<std::string>();
  };
  CHECK(value_of("D", "10/28/2014") == "2014-10-28");
  CHECK(value_of("D", "1/2/2014") == "2014-01-02");
  CHECK(value_of("D", "2014-10-28") == "2014-10-28");
  CHECK(value_of("D", "") == "");
  CHECK(value_of("D", "2/30/2024") ==
        "400 SetProjectData: DataField D: \"2/30/2024\" is not a date (expected yyyy-MM-dd, M/d/yyyy or MM/dd/yyyy, "
        "optionally followed by a time)");
  CHECK(value_of("B", "True") == "true");
  CHECK(value_of("B", "FALSE") == "false");
  CHECK(value_of("B", "true") == "true");
  CHECK(value_of("B", "maybe") == "maybe");
  CHECK(value_of("T", "True") == "True");
  CHECK(value_of("T", "10/28/2014") == "10/28/2014");
}

TEST_CASE("SetProjectData: pattern fallback without a schema is counted") {
  auto r = v1_request_to_v2(method_id::SetProjectData,
                            data_request(R"(<DataField DataFieldId="A" Value="1/2/2014"/><DataField DataFieldId="B" Value="False"/>)"
                                         R"(<DataField DataFieldId="C" Value="FALSE"/><DataField DataFieldId="D" Value="1/2/14"/>)"
                                         R"(<DataField DataFieldId="E" Value="x" Instance="0"/><DataField DataFieldId="E" Value="True" Instance="1"/>)"),
                            no_schema);
  REQUIRE(r);
  REQUIRE(r->needs_current_data);  // instances: the current list is read first
  r = v1_request_to_v2_with_current(method_id::SetProjectData,
                                    data_request(R"(<DataField DataFieldId="A" Value="1/2/2014"/><DataField DataFieldId="B" Value="False"/>)"
                                                 R"(<DataField DataFieldId="C" Value="FALSE"/><DataField DataFieldId="D" Value="1/2/14"/>)"
                                                 R"(<DataField DataFieldId="E" Value="x" Instance="0"/><DataField DataFieldId="E" Value="True" Instance="1"/>)"),
                                    R"({"Project":{}})", no_schema);
  REQUIRE(r);
  CHECK(r->typing_fallbacks == 3);
  CHECK(json::parse(r->body) == json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":"2014-01-02"},
    {"DataFieldId":"B","Value":"false"},{"DataFieldId":"C","Value":"FALSE"},{"DataFieldId":"D","Value":"1/2/14"},
    {"DataFieldId":"E","Values":["x","true"]}]}})"));
}

// field_views_of compares pugixml's C-string names as they are: a prefixed attribute is
// matched on the part after its first ':', a namespace declaration never, a name that only
// starts like a wanted one never, and the first attribute of a name wins.
TEST_CASE("SetProjectData: DataField attributes by local name, prefixed or not") {
  CHECK(fails(method_id::SetProjectData,
              data_request(R"(<DataField xmlns:p="urn:x" p:DataFieldId="A" p:Value="1"/>)"
                           R"(<DataField DataFieldId="B" xmlns:Value="urn:v" ValueX="no" Valu="no" Value="2" Value2="no"/>)"
                           R"(<DataField q:r:DataFieldId="C" DataFieldId="D" Value="3" v:Value="4"/>)")) ==
        R"(no failure: {"Project":{"DataFields":[{"DataFieldId":"A","Value":"1"},{"DataFieldId":"B","Value":"2"},)"
        R"({"DataFieldId":"D","Value":"3"}]}})");
}

TEST_CASE("SetProjectData: absent Value is null for single fields and \"\" for instances") {
  auto r = v1_request_to_v2_with_current(method_id::SetProjectData,
                                         data_request(R"(<DataField DataFieldId="A"/><DataField DataFieldId="B" Instance="0"/>)"),
                                         R"({"Project":{}})", no_schema);
  REQUIRE(r);
  CHECK(json::parse(r->body) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":null},{"DataFieldId":"B","Values":[""]}]}})"));
  CHECK(ok(method_id::SetProjectData, R"(<ProjectDataRequest><Project/></ProjectDataRequest>)") ==
        json::parse(R"({"Project":{"DataFields":[]}})"));
}

TEST_CASE("SetProjectData: a partial instance set asks for the current data, then patches it") {
  const std::string request = data_request(R"(<DataField DataFieldId="M" Value="new" Instance="2"/><DataField DataFieldId="S" Value="s"/>)");
  auto first = v1_request_to_v2(method_id::SetProjectData, request, no_schema);
  REQUIRE(first);
  CHECK(first->needs_current_data);
  CHECK(first->body.empty());

  auto patched = v1_request_to_v2_with_current(
      method_id::SetProjectData, request,
      R"({"Project":{"DataFields":[{"DataFieldId":"X","Values":["no"]},{"DataFieldId":"M","Values":["a",null,"c","d"]}]}})", no_schema);
  REQUIRE(patched);
  CHECK_FALSE(patched->needs_current_data);
  CHECK(json::parse(patched->body) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","","new","d"]},{"DataFieldId":"S","Value":"s"}]}})"));

  // A single-valued current field is the list of its one value; a missing field is empty.
  auto from_value = v1_request_to_v2_with_current(method_id::SetProjectData, request,
                                                  R"({"Project":{"DataFields":[{"DataFieldId":"M","Value":"only","Values":null}]}})", no_schema);
  REQUIRE(from_value);
  CHECK(json::parse(from_value->body)["Project"]["DataFields"][0]["Values"] == json::parse(R"(["only","","new"])"));
  auto missing = v1_request_to_v2_with_current(method_id::SetProjectData, request, R"({"Project":{}})", no_schema);
  REQUIRE(missing);
  CHECK(json::parse(missing->body)["Project"]["DataFields"][0]["Values"] == json::parse(R"(["","","new"])"));

  // Instance 0 alone is a partial write too: the current data is read and must be readable.
  auto only_zero = v1_request_to_v2_with_current(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="M" Value="a" Instance="0"/>)"),
                                                 "not json", no_schema);
  REQUIRE_FALSE(only_zero);
  CHECK(only_zero.error().status == 502);
}

TEST_CASE("SetProjectData: an unreadable current data answer is a 502") {
  const std::string request = data_request(R"(<DataField DataFieldId="M" Value="x" Instance="1"/>)");
  auto fails_with = [&](std::string_view current) {
    auto r = v1_request_to_v2_with_current(method_id::SetProjectData, request, current, no_schema);
    if (r) return std::string("no failure");
    return std::to_string(r.error().status) + " " + r.error().message;
  };
  CHECK(fails_with("{\"Project\":") == "502 SetProjectData: cannot translate V2 answer: (root) invalid JSON: unexpected end of input at offset 11");
  CHECK(fails_with("[]") == "502 SetProjectData: cannot translate V2 answer: (root) is not an object");
  CHECK(fails_with(R"({"Project":"x"})") == "502 SetProjectData: cannot translate V2 answer: Project is not an object");
  CHECK(fails_with(R"({"Project":{"DataFields":{}}})") ==
        "502 SetProjectData: cannot translate V2 answer: Project.DataFields is not an array");
  CHECK(fails_with(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":[{}]}]}})") ==
        "502 SetProjectData: cannot translate V2 answer: Project.DataFields[0].Values[0] is not a string");
}

TEST_CASE("generic XML -> JSON") {
  CHECK(ok(method_id::SetInquiryNote,
           R"(<R xmlns="http://service.powerclerk.com/api/v1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" A="1">)"
           R"(<T>text</T><E/><N xsi:nil="true"/><L><I>1</I><I>2</I></L><O K="v">inner</O><X/><X>2</X></R>)") ==
        json::parse(R"({"A":"1","T":"text","E":"","N":null,"L":{"I":["1","2"]},"O":{"K":"v","Value":"inner"},"X":["","2"]})"));
  // member order follows the document
  auto r = v1_request_to_v2(method_id::SetAssignee, R"(<R B="1" A="2"><Z>3</Z><Y>4</Y></R>)", no_schema);
  REQUIRE(r);
  CHECK(r->body == R"({"B":"1","A":"2","Z":"3","Y":"4"})");
}

TEST_CASE("SetAttachmentMetadata and SetProjectOwner accept attributes or child elements") {
  CHECK(ok(method_id::SetAttachmentMetadata, R"(<SetAttachmentMetadata AttachmentStatus="Save"/>)") == json{{"AttachmentStatus", "Save"}});
  CHECK(ok(method_id::SetAttachmentMetadata, R"(<SetAttachmentMetadata><Note>n &amp; m</Note></SetAttachmentMetadata>)") ==
        json{{"Note", "n & m"}});
  CHECK(ok(method_id::SetProjectOwner, R"(<SetProjectOwnerRequest OwnerEmail=" a@b "/>)") == json{{"OwnerEmail", "a@b"}});
}

TEST_CASE("GetProjectsByNumber: no numbers is a 400, never an empty list") {
  CHECK(fails(method_id::GetProjectsByNumber, R"(<ProjectByNumberRequest><ProjectNumbers/></ProjectByNumberRequest>)").starts_with(
      "400 GetProjectsByNumber: no project number found; expected <ProjectByNumberRequest"));
}

TEST_CASE("SetProjectData: the current data is read in one pass with the DOM read's answers") {
  const std::string request = data_request(R"(<DataField DataFieldId="M" Value="new" Instance="1"/>)");
  auto values_of_m = [&](std::string_view current) {
    auto r = v1_request_to_v2_with_current(method_id::SetProjectData, request, current, no_schema);
    if (!r) return std::to_string(r.error().status) + " " + r.error().message;
    return json::parse(r->body)["Project"]["DataFields"][0]["Values"].dump();
  };
  // An id names the first field whose DataFieldId or CustomId it is.
  CHECK(values_of_m(R"({"Project":{"DataFields":[{"CustomId":"M","DataFieldId":"X","Values":["c0","c1","c2"]},)"
                    R"({"DataFieldId":"M","Values":["d0"]}]}})") == R"(["c0","new","c2"])");
  // Numbers and booleans are kept as written (V2 sends strings; a DOM would have rewritten 1.50 as 1.5).
  CHECK(values_of_m(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":[1.50,true,null]}]}})") ==
        R"(["1.50","new",""])");
  // A field the write does not name is not read for values: its shape does not matter.
  CHECK(values_of_m(R"({"Project":{"DataFields":[{"DataFieldId":"O","Values":[{}]},"not a field",)"
                    R"({"DataFieldId":"M","Value":"v0"}]},"Other":[1,{"a":null}]})") == R"(["v0","new"])");
  // Invalid JSON anywhere is reported as invalid JSON, before any shape problem found first.
  CHECK(values_of_m(R"({"Project":"x",)") ==
        "502 SetProjectData: cannot translate V2 answer: (root) invalid JSON: unexpected end of input at offset 15");
  CHECK(values_of_m(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a\u00e9\n"]}]}})") == R"(["aé\n","new"])");
}
