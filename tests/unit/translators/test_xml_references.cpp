// References in request XML (translators/xml_references, v1_xml::load): a body whose every '&'
// starts a reference pcbridge decodes is decoded by pugixml while it parses; any other body
// takes the walk that decodes each value itself. Both must read the same document: each body
// below is loaded as it is and with a bare '&' in a comment after the root (which forces the
// walk and leaves the document as it was), and the two documents must print the same.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "translators/v1_xml_read.hpp"
#include "translators/xml_references.hpp"

using namespace pcbridge::translators;
using v1_xml::every_reference_decodable;

namespace {

// The loaded document printed raw, or the failure.
std::string loaded(const std::string& body) {
  pugi::xml_document doc;
  const auto root = v1_xml::load(method_id::SetInquiryNote, body, doc, 10000);
  if (!root) return std::to_string(root.error().status) + " " + root.error().message;
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

std::string with_walk(const std::string& body) { return body + "<!-- & -->"; }

}  // namespace

TEST_CASE("every_reference_decodable: only references decode_references takes, wherever the '&' is") {
  CHECK(every_reference_decodable("<a>plain</a>"));
  CHECK(every_reference_decodable("<a b=\"&amp;&lt;&gt;&quot;&apos;\">&#65;&#x41;&#x10FFFF;&#9;</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&amp</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&nbsp;</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&#0;</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&#xD800;</a>"));
  CHECK_FALSE(every_reference_decodable("<a>&#X41;</a>"));  // XML writes the hex marker lower case
  CHECK_FALSE(every_reference_decodable("<a><![CDATA[ & ]]></a>"));  // bytes, not markup: the walk decides
  CHECK_FALSE(every_reference_decodable(std::string("<\0a\0>\0&\0a\0m\0p\0;\0", 16)));  // UTF-16: NUL beside '&'
  CHECK_FALSE(every_reference_decodable("&"));
}

TEST_CASE("load: pugixml's decoding and the walk's read every body alike") {
  const std::string ns = " xmlns=\"http://service.powerclerk.com/api/v1/\"";
  const std::string bodies[] = {
      "<Note" + ns + ">Tom &amp; Jerry &lt;3 &#x263A; &#128512;</Note>",
      "<Note" + ns + " Text=\"a&amp;b &quot;q&quot; &apos;s&apos; &gt;\"/>",
      // Character references to whitespace stay as they are; literal whitespace in an
      // attribute becomes spaces (XML 1.0 §3.3.3), and a literal CR LF in text one LF.
      "<Note" + ns + " Text=\"tab&#9;nl&#10;cr&#13;\tx\ny\"/>",
      "<Note" + ns + ">line&#13;\r\nnext&#10;end</Note>",
      // CDATA and comments are not decoded: their &amp; stays as written.
      "<Note" + ns + "><![CDATA[&amp; &#65;]]> and &amp;<!-- &amp; --></Note>",
      "<Note" + ns + "><Inner A=\"&#x41;\">&#66;<Deep>&amp;amp;</Deep></Inner>tail&amp;</Note>",
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Note" + ns + ">caf\xE9 &amp; cr\xE8me</Note>",
      "<Note" + ns + ">no references at all</Note>",
  };
  for (const std::string& body : bodies) {
    CAPTURE(body);
    REQUIRE(every_reference_decodable(body));
    REQUIRE_FALSE(every_reference_decodable(with_walk(body)));
    const std::string fast = loaded(body);
    CHECK(fast.rfind("<Note", 0) == 0);  // loaded, not refused
    CHECK(fast == loaded(with_walk(body)));
  }
  // Exact texts for two of them, so that both readings cannot be wrong alike.
  CHECK(loaded(bodies[0]) == "<Note" + ns + ">Tom &amp; Jerry &lt;3 \xE2\x98\xBA \xF0\x9F\x98\x80</Note>");
  CHECK(loaded(bodies[4]) == "<Note" + ns + "><![CDATA[&amp; &#65;]]> and &amp;</Note>");
}

TEST_CASE("load: a bad reference is refused the same way wherever the rest of the body is") {
  const std::string ns = " xmlns=\"http://service.powerclerk.com/api/v1/\"";
  CHECK(loaded("<Note" + ns + ">a &amp; b &x; c</Note>") ==
        "400 SetInquiryNote: malformed XML: undefined entity reference &x;");
  CHECK(loaded("<Note" + ns + " T=\"&#0;\">&amp;</Note>") ==
        "400 SetInquiryNote: malformed XML: character reference &#0; names no XML character");
}
