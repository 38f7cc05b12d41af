#include <doctest/doctest.h>

#include <string>

#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

const std::string head =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Error xmlns=\"http://service.powerclerk.com/api/v1/\" ";

}  // namespace

TEST_CASE("v1_error_body: plain message") {
  CHECK(v1_error_body(404, "not a V1 API path", "req-1") ==
        head + "Status=\"404\" Message=\"not a V1 API path\" RequestId=\"req-1\"/>");
  CHECK(v1_error_body(502, "", "") == head + "Status=\"502\" Message=\"\" RequestId=\"\"/>");
}

TEST_CASE("v1_error_body: attribute escaping") {
  CHECK(v1_error_body(400, "a & b < c > d \"e\" 'f'", "r&\"1") ==
        head +
            "Status=\"400\" Message=\"a &amp; b &lt; c &gt; d &quot;e&quot; 'f'\" "
            "RequestId=\"r&amp;&quot;1\"/>");
  CHECK(v1_error_body(400, "line1\nline2\tx\r", "r") ==
        head + "Status=\"400\" Message=\"line1&#10;line2&#9;x&#13;\" RequestId=\"r\"/>");
}

TEST_CASE("v1_error_body: control characters removed, UTF-8 kept, bad bytes replaced") {
  CHECK(v1_error_body(500, std::string_view("a\x01\x1f\0b", 5), "r") ==
        head + "Status=\"500\" Message=\"ab\" RequestId=\"r\"/>");
  CHECK(v1_error_body(500, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "r") ==
        head + "Status=\"500\" Message=\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\" RequestId=\"r\"/>");
  // Lone continuation byte, truncated sequence, overlong '/', surrogate.
  CHECK(v1_error_body(500, "x\x80y\xc3", "r") ==
        head + "Status=\"500\" Message=\"x?y?\" RequestId=\"r\"/>");
  CHECK(v1_error_body(500, "\xc0\xaf|\xed\xa0\x80", "r") ==
        head + "Status=\"500\" Message=\"??|???\" RequestId=\"r\"/>");
}
