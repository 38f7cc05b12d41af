// V1 XML request bodies a hostile client could send (issue 8 item 3 and the XML should-fixes):
// huge sibling lists are translated in one linear pass, a body beyond the work budget is a 413,
// and references to no XML character, undefined entities and second roots are 400s.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

const translate_context no_schema{};

std::string outcome_of(method_id m, std::string_view xml, const translate_context& ctx = no_schema) {
  auto r = v1_request_to_v2(m, xml, ctx);
  if (r) return "ok " + r->body;
  return std::to_string(r.error().status) + " " + r.error().message;
}

std::string siblings(int count, int distinct) {
  std::string xml = R"(<SetInquiryNoteRequest xmlns="http://service.powerclerk.com/api/v1/">)";
  for (int i = 0; i < count; ++i) {
    const std::string name = "N" + std::to_string(i % distinct);
    xml += "<" + name + ">" + std::to_string(i) + "</" + name + ">";
  }
  return xml + "</SetInquiryNoteRequest>";
}

}  // namespace

TEST_CASE("generic XML -> JSON: repeated names grouped in first-appearance order") {
  CHECK(outcome_of(method_id::SetInquiryNote, "<R K=\"a\"><B>1</B><A>2</A><B>3</B><C/><A>4</A><K>5</K></R>") ==
        R"(ok {"K":"5","B":["1","3"],"A":["2","4"],"C":""})");
}

// nlohmann::json (a std::map) reads the answers back: ordered_json's own lookup is linear, so
// reading 100,000 members through it would be the quadratic cost under test. Order is checked
// on the text.
TEST_CASE("generic XML -> JSON: 100,000 distinct siblings (linear, issue 8 item 3)") {
  auto r = v1_request_to_v2(method_id::SetInquiryNote, siblings(100000, 100000), no_schema);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const auto j = nlohmann::json::parse(r->body);
  REQUIRE(j.size() == 100000);
  CHECK(j.at("N0") == "0");
  CHECK(j.at("N54321") == "54321");
  CHECK(j.at("N99999") == "99999");
  CHECK(r->body.starts_with(R"({"N0":"0","N1":"1","N2":"2",)"));
  CHECK(r->body.find(R"(,"N9":"9","N10":"10",)") != std::string::npos);
  CHECK(r->body.ends_with(R"(,"N99998":"99998","N99999":"99999"})"));
}

TEST_CASE("generic XML -> JSON: 100,000 siblings under 50,000 names become 50,000 pairs") {
  auto r = v1_request_to_v2(method_id::SetInquiryNote, siblings(100000, 50000), no_schema);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const auto j = nlohmann::json::parse(r->body);
  REQUIRE(j.size() == 50000);
  CHECK(j.at("N0") == nlohmann::json::parse(R"(["0","50000"])"));
  CHECK(j.at("N49999") == nlohmann::json::parse(R"(["49999","99999"])"));
  CHECK(r->body.starts_with(R"({"N0":["0","50000"],"N1":["1","50001"],)"));
  CHECK(r->body.ends_with(R"(,"N49999":["49999","99999"]})"));
}

TEST_CASE("work budget: more elements and attributes than the limit is a 413") {
  translate_context small;
  small.max_request_xml_nodes = 5;
  CHECK(outcome_of(method_id::SetInquiryNote, R"(<R a="1"><B/><C d="2"/></R>)", small) ==
        R"(ok {"a":"1","B":"","C":{"d":"2"}})");
  CHECK(outcome_of(method_id::SetInquiryNote, R"(<R a="1"><B/><C d="2"/><E/></R>)", small) ==
        "413 SetInquiryNote: request body has more than 5 XML elements and attributes");
  CHECK(outcome_of(method_id::SetProjectData, R"(<R a="1" b="2" c="3" d="4" e="5"/>)", small) ==
        "413 SetProjectData: request body has more than 5 XML elements and attributes");
  // The default budget.
  CHECK(no_schema.max_request_xml_nodes == 200000);
  CHECK(outcome_of(method_id::SetInquiryNote, siblings(200000, 10)) ==
        "413 SetInquiryNote: request body has more than 200000 XML elements and attributes");
}

TEST_CASE("references: the five entities and character references to XML characters are decoded") {
  CHECK(outcome_of(method_id::SetInquiryNote,
                   R"(<R a="&lt;&#x9;&quot;"><T>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;&#10;</T><C><![CDATA[&x; &#0;]]></C></R>)") ==
        "ok {\"a\":\"<\\t\\\"\",\"T\":\"<>&'\\\"AB\xF0\x9F\x98\x80\\n\",\"C\":\"&x; &#0;\"}");
  // Decoded text is what the method translators read.
  CHECK(outcome_of(method_id::SetProjectOwner, "<R><OwnerEmail>a&amp;b@c</OwnerEmail></R>") ==
        R"(ok {"OwnerEmail":"a&b@c"})");
}

TEST_CASE("references: &#0;, other non-characters and undefined entities are a 400") {
  CHECK(outcome_of(method_id::SetInquiryNote, "<R><T>a&#0;b</T></R>") ==
        "400 SetInquiryNote: malformed XML: character reference &#0; names no XML character");
  CHECK(outcome_of(method_id::SetInquiryNote, R"(<R T="a&#x0;b"/>)") ==
        "400 SetInquiryNote: malformed XML: character reference &#x0; names no XML character");
  for (std::string_view ref : {"&#1;", "&#xD800;", "&#xFFFE;", "&#x110000;", "&#;", "&#x;", "&#12a;", "&#99999999999;"}) {
    CAPTURE(ref);
    CHECK(outcome_of(method_id::SetInquiryNote, "<R><T>" + std::string(ref) + "</T></R>") ==
          "400 SetInquiryNote: malformed XML: character reference " + std::string(ref) + " names no XML character");
  }
  CHECK(outcome_of(method_id::SetInquiryNote, "<R><T>a&x;b</T></R>") ==
        "400 SetInquiryNote: malformed XML: undefined entity reference &x;");
  CHECK(outcome_of(method_id::SetProjectData, R"(<R><Project><DataFields><DataField DataFieldId="&nbsp;"/></DataFields></Project></R>)") ==
        "400 SetProjectData: malformed XML: undefined entity reference &nbsp;");
  CHECK(outcome_of(method_id::SetInquiryNote, "<R><T>a & b</T></R>") ==
        "400 SetInquiryNote: malformed XML: '&' that starts no reference (\"& b\"; write &amp;)");
  CHECK(outcome_of(method_id::SetInquiryNote, "<R><T>a &b c; d</T></R>") ==
        "400 SetInquiryNote: malformed XML: '&' that starts no reference (\"&b c; d\"; write &amp;)");
}

TEST_CASE("a second root element is a 400") {
  CHECK(outcome_of(method_id::SetInquiryNote, "<A><T>1</T></A><B/>") ==
        "400 SetInquiryNote: malformed XML: a second root element <B> after <A>");
  CHECK(outcome_of(method_id::SetProjectOwner, "<R><OwnerEmail>a@b</OwnerEmail></R><!-- c --><R/>") ==
        "400 SetProjectOwner: malformed XML: a second root element <R> after <R>");
  // Comments and processing instructions around the root are fine.
  CHECK(outcome_of(method_id::SetInquiryNote, "<?xml version=\"1.0\"?><!-- c --><A><T>1</T></A><!-- d -->") ==
        R"(ok {"T":"1"})");
}

TEST_CASE("an encoding=\"utf-16\" declaration over UTF-8 bytes is read as UTF-8 (.NET StringWriter)") {
  CHECK(outcome_of(method_id::SetProjectOwner,
                   "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<SetProjectOwnerRequest xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                   "xmlns=\"http://service.powerclerk.com/api/v1/\">\r\n  <OwnerEmail>\xC3\xA9@b.example</OwnerEmail>\r\n"
                   "</SetProjectOwnerRequest>") == "ok {\"OwnerEmail\":\"\xC3\xA9@b.example\"}");
}
