// V1 requests as legacy (.NET XmlSerializer) clients wrote them (issue 10 items 4-6): instance
// writes patch the current list, .NET date shapes, DataField without Value, ByNumber shapes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "translators/translate.hpp"

using namespace pcbridge::translators;
using nlohmann::json;

namespace {

const translate_context no_schema{};

std::string data_request(std::string_view fields) {
  return R"(<ProjectDataRequest xmlns="http://service.powerclerk.com/api/v1/"><Project><DataFields>)" + std::string(fields) +
         "</DataFields></Project></ProjectDataRequest>";
}

// Both steps of a write with instances: the first must ask for the current data.
json patched(std::string_view fields, std::string_view current, const translate_context& ctx = no_schema) {
  const std::string request = data_request(fields);
  auto first = v1_request_to_v2(method_id::SetProjectData, request, ctx);
  REQUIRE_MESSAGE(first.ok(), first.error().message);
  REQUIRE(first->needs_current_data);
  CHECK(first->body.empty());
  auto second = v1_request_to_v2_with_current(method_id::SetProjectData, request, current, ctx);
  REQUIRE_MESSAGE(second.ok(), second.error().message);
  CHECK_FALSE(second->needs_current_data);
  return json::parse(second->body);
}

json single_step(method_id m, std::string_view xml, const translate_context& ctx = no_schema) {
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

const std::string three = R"({"Project":{"DataFields":[{"DataFieldId":"M","CustomId":"Many","Value":null,"Values":["a","b","c"]}]}})";

}  // namespace

TEST_CASE("instances: writing Instance 0 alone keeps instances 1..n (no lost instances)") {
  CHECK(patched(R"(<DataField DataFieldId="M" Value="new" Instance="0"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["new","b","c"]}]}})"));
  // A complete-looking 0..1 set still never shortens a longer current list.
  CHECK(patched(R"(<DataField DataFieldId="M" Value="x" Instance="0"/><DataField DataFieldId="M" Value="y" Instance="1"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["x","y","c"]}]}})"));
  // By custom id, InstanceId spelling.
  CHECK(patched(R"(<DataField DataFieldId="Many" Value="z" InstanceId="2"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"Many","Values":["a","b","z"]}]}})"));
}

TEST_CASE("instances: index n of an n-instance field appends; a gap is padded with empty instances") {
  CHECK(patched(R"(<DataField DataFieldId="M" Value="d" Instance="3"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","b","c","d"]}]}})"));
  CHECK(patched(R"(<DataField DataFieldId="M" Value="f" Instance="5"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","b","c","","","f"]}]}})"));
  // A field the current data does not have yet starts empty.
  CHECK(patched(R"(<DataField DataFieldId="N" Value="n" Instance="1"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"N","Values":["","n"]}]}})"));
}

TEST_CASE("instances: a multi-instance field (per the schema) without an index is instance 0") {
  field_type_map types;
  types.by_id = {{"M", value_type::text}, {"D", value_type::date}, {"S", value_type::text}};
  types.multi_instance = {"M", "D"};
  translate_context ctx;
  ctx.types = &types;
  const std::string current =
      R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","b","c"]},{"DataFieldId":"D","Values":["2024-01-01","2024-01-02"]}]}})";
  CHECK(patched(R"(<DataField DataFieldId="M" Value="new"/><DataField DataFieldId="D" Value="3/4/2024 12:00:00 AM"/>)"
                R"(<DataField DataFieldId="S" Value="single"/>)",
                current, ctx) == json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["new","b","c"]},
                    {"DataFieldId":"D","Values":["2024-03-04","2024-01-02"]},{"DataFieldId":"S","Value":"single"}]}})"));
  // Without the schema's flag it is a single value, as before.
  CHECK(single_step(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="M" Value="new"/>)")) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Value":"new"}]}})"));
  // Both spellings of instance 0 at once.
  CHECK(fails(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="M" Value="x"/><DataField DataFieldId="M" Value="y" Instance="0"/>)"),
              ctx) == "400 SetProjectData: DataField M has instance 0 more than once");
}

TEST_CASE("DataField without Value (XmlSerializer omits null strings): null clears a field, \"\" an instance (I)") {
  CHECK(single_step(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="A" Name="Only a name"/>)")) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":null}]}})"));
  CHECK(patched(R"(<DataField DataFieldId="M" Instance="1"/>)", three) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","","c"]}]}})"));
  // Value="" is an empty string, not null.
  CHECK(single_step(method_id::SetProjectData, data_request(R"(<DataField DataFieldId="A" Value=""/>)")) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":""}]}})"));
}

TEST_CASE("Date values in every .NET shape become yyyy-MM-dd; no date at all is a 400 naming the field") {
  field_type_map types;
  types.by_id = {{"D", value_type::date}};
  translate_context ctx;
  ctx.types = &types;
  for (const auto& [v1, v2] : std::initializer_list<std::pair<const char*, const char*>>{
           {"2014-10-28", "2014-10-28"},
           {"10/28/2014", "2014-10-28"},
           {"1/2/2014", "2014-01-02"},
           {"10/28/2014 00:00:00", "2014-10-28"},
           {"10/28/2014 12:00:00 AM", "2014-10-28"},
           {"10/28/2014 11:30:00 PM", "2014-10-28"},
           {"2014-10-28T00:00:00", "2014-10-28"},
           {"2014-10-28T00:00:00.0000000", "2014-10-28"},
           {"2014-10-28T00:00:00.0000000-07:00", "2014-10-28"},
           {" 10/28/2014 ", "2014-10-28"}}) {
    CAPTURE(v1);
    CHECK(single_step(method_id::SetProjectData, data_request(std::string(R"(<DataField DataFieldId="D" Value=")") + v1 + "\"/>"),
                      ctx) == json{{"Project", {{"DataFields", {{{"DataFieldId", "D"}, {"Value", v2}}}}}}});
  }
  for (const char* bad : {"28.10.2014", "2014-13-45", "10/28/2014 13:00:00 PM", "10/28/14", "next Tuesday", "2014-10-28 00:00:00"}) {
    CAPTURE(bad);
    CHECK(fails(method_id::SetProjectData, data_request(std::string(R"(<DataField DataFieldId="D" Value=")") + bad + "\"/>"), ctx) ==
          std::string("400 SetProjectData: DataField D: \"") + bad +
              "\" is not a date (expected yyyy-MM-dd, M/d/yyyy or MM/dd/yyyy, optionally followed by a time)");
  }
}

TEST_CASE("ByData Content: .NET date shapes for Date fields, 400 for no date, Text untouched, Boolean lower-cased") {
  field_type_map types;
  types.by_id = {{"D", value_type::date}, {"T", value_type::text}, {"B", value_type::boolean}};
  translate_context ctx;
  ctx.types = &types;
  auto content = [&](std::string_view id, std::string_view value, const translate_context& c) {
    const std::string xml = R"(<ProjectByDataRequest xmlns="http://service.powerclerk.com/api/v1/"><DataFields><Field Id=")" +
                            std::string(id) + "\" Content=\"" + std::string(value) + "\" Operator=\"eq\"/></DataFields></ProjectByDataRequest>";
    auto r = v1_request_to_v2(method_id::GetProjectsByData, xml, c);
    if (!r) return std::to_string(r.error().status) + " " + r.error().message;
    return json::parse(r->body)["DataFields"][0]["Content"].get<std::string>();
  };
  CHECK(content("D", "10/28/2014 12:00:00 AM", ctx) == "2014-10-28");
  CHECK(content("D", "2014-10-28T00:00:00", ctx) == "2014-10-28");
  CHECK(content("D", "6/8/2017", ctx) == "2017-06-08");
  CHECK(content("D", "soon", ctx) ==
        "400 GetProjectsByData: Field D: Content \"soon\" is not a date (expected yyyy-MM-dd, M/d/yyyy or MM/dd/yyyy, "
        "optionally followed by a time)");
  CHECK(content("T", "10/28/2014", ctx) == "10/28/2014");
  CHECK(content("B", "True", ctx) == "true");
  // No schema: slash dates convert (counted), anything else is sent as written.
  CHECK(content("X", "10/28/2014 00:00:00", no_schema) == "2014-10-28");
  CHECK(content("X", "2014-10-28T00:00:00", no_schema) == "2014-10-28T00:00:00");
  CHECK(content("X", "soon", no_schema) == "soon");
}

TEST_CASE("ByNumber: numbers from element text, a Value attribute, or comma/whitespace-separated lists") {
  auto numbers = [](std::string_view inner) {
    return single_step(method_id::GetProjectsByNumber,
                       R"(<ProjectByNumberRequest xmlns="http://service.powerclerk.com/api/v1/">)" + std::string(inner) +
                           "</ProjectByNumberRequest>")["ProjectNumbers"];
  };
  CHECK(numbers("<ProjectNumbers><ProjectNumber>NM-1</ProjectNumber><ProjectNumber> NM-2 </ProjectNumber></ProjectNumbers>") ==
        json::parse(R"(["NM-1","NM-2"])"));
  CHECK(numbers(R"(<ProjectNumbers><ProjectNumber Value="NM-1"/><ProjectNumber Value=" NM-2,NM-3 "/></ProjectNumbers>)") ==
        json::parse(R"(["NM-1","NM-2","NM-3"])"));
  CHECK(numbers("<ProjectNumbers><ProjectNumber>NM-1, NM-2\n NM-3\tNM-4</ProjectNumber></ProjectNumbers>") ==
        json::parse(R"(["NM-1","NM-2","NM-3","NM-4"])"));
  CHECK(numbers("<ProjectNumbers>NM-1 NM-2</ProjectNumbers>") == json::parse(R"(["NM-1","NM-2"])"));
  CHECK(numbers("<ProjectNumbers><ProjectNumber>NM-1</ProjectNumber><ProjectNumber>NM-1</ProjectNumber></ProjectNumbers>") ==
        json::parse(R"(["NM-1"])"));
}

TEST_CASE("ByNumber: a body without any number is a 400 showing the expected shape, never an empty list upstream") {
  const std::string expected =
      "400 GetProjectsByNumber: no project number found; expected <ProjectByNumberRequest "
      "xmlns=\"http://service.powerclerk.com/api/v1/\"><ProjectNumbers><ProjectNumber>NM-00001</ProjectNumber>"
      "</ProjectNumbers></ProjectByNumberRequest>";
  // An empty body too (issue 10 item 6), not the generic "empty request body".
  for (const char* body : {"", " \r\n ", R"(<ProjectByNumberRequest><ProjectNumbers/></ProjectByNumberRequest>)",
                           R"(<ProjectByNumberRequest><ProjectNumbers> , </ProjectNumbers></ProjectByNumberRequest>)",
                           R"(<ProjectByNumberRequest><Numbers><Number>NM-1</Number></Numbers></ProjectByNumberRequest>)",
                           R"(<ProjectByNumberRequest><ProjectNumbers><ProjectNumber Value=""/></ProjectNumbers></ProjectByNumberRequest>)"}) {
    CAPTURE(body);
    CHECK(fails(method_id::GetProjectsByNumber, body) == expected);
  }
}

TEST_CASE("compat data_field_without_value (I): clear (default) sends null / an empty instance; skip leaves the element out") {
  compat_profile skip;
  REQUIRE_FALSE(set_compat(skip, "data_field_without_value", "skip"));
  translate_context ctx;
  ctx.compat = &skip;
  const std::string two = data_request(R"(<DataField DataFieldId="A" Name="Only a name"/><DataField DataFieldId="B" Value="b"/>)");
  CHECK(single_step(method_id::SetProjectData, two) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"A","Value":null},{"DataFieldId":"B","Value":"b"}]}})"));
  CHECK(single_step(method_id::SetProjectData, two, ctx) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"B","Value":"b"}]}})"));
  // An instance without Value is not written: the current instance 1 stays.
  CHECK(patched(R"(<DataField DataFieldId="M" Instance="1"/><DataField DataFieldId="M" Value="z" Instance="2"/>)", three, ctx) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","b","z"]}]}})"));
}

TEST_CASE("compat by_number_json_name (I): the JSON member of GetProjectsByNumber's list; a non-name is refused") {
  compat_profile p;
  REQUIRE_FALSE(set_compat(p, "by_number_json_name", "Numbers"));
  translate_context ctx;
  ctx.compat = &p;
  const std::string body = R"(<ProjectByNumberRequest xmlns="http://service.powerclerk.com/api/v1/"><ProjectNumbers>)"
                           R"(<ProjectNumber>NM-1</ProjectNumber></ProjectNumbers></ProjectByNumberRequest>)";
  auto r = v1_request_to_v2(method_id::GetProjectsByNumber, body, ctx);
  REQUIRE(r.ok());
  CHECK(r->body == R"({"Numbers":["NM-1"]})");
  CHECK(v1_request_to_v2(method_id::GetProjectsByNumber, body, no_schema)->body == R"({"ProjectNumbers":["NM-1"]})");
  for (const char* bad : {"", "1st", "Project Numbers", "a\"b", "x.y"}) {
    CAPTURE(bad);
    CHECK(set_compat(p, "by_number_json_name", bad) ==
          std::optional<std::string>("expected a JSON member name (letters, digits, _; at most 64)"));
  }
  CHECK(p.by_number_member == "Numbers");  // a refused value changes nothing
}

TEST_CASE("instances: a masked current instance the client did not send is never written back (409, nothing sent) (I mask form)") {
  const std::string masked =
      R"({"Project":{"DataFields":[{"DataFieldId":"M","Value":null,"Values":["a","********","c"]}]}})";
  const std::string request = data_request(R"(<DataField DataFieldId="M" Value="new" Instance="0"/>)");
  auto r = v1_request_to_v2_with_current(method_id::SetProjectData, request, masked, no_schema);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().status == 409);
  CHECK(r.error().message ==
        "SetProjectData: DataField M: instance 1 reads as masked (sensitive data), so writing only some instances "
        "would store the mask over it; nothing was written: send every instance of this field in one request");
  // Other mask shapes: a partial mask, bullets.
  for (const char* value : {"****3210", "\u2022\u2022\u2022\u2022 3210"}) {
    CAPTURE(value);
    const std::string current = R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a",")" + std::string(value) + R"("]}]}})";
    CHECK(v1_request_to_v2_with_current(method_id::SetProjectData, request, current, no_schema).error().status == 409);
  }
  // The client sends the masked index itself: its value is written, nothing read is kept.
  CHECK(patched(R"(<DataField DataFieldId="M" Value="x" Instance="0"/><DataField DataFieldId="M" Value="y" Instance="1"/>)", masked) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["x","y","c"]}]}})"));
  // One or two stars are data, not a mask.
  CHECK(patched(R"(<DataField DataFieldId="M" Value="x" Instance="0"/>)",
                R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","**b","*"]}]}})") ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["x","**b","*"]}]}})"));
}
