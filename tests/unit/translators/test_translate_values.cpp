// Value conversions and escaping (translators/value_format).
#include <doctest/doctest.h>

#include <string>

#include "translators/value_format.hpp"

using namespace pcbridge::translators::value_format;

namespace {
std::string xml(std::string_view s) {
  std::string out;
  append_xml_escaped(out, s);
  return out;
}
std::string json_str(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}
std::string v1_date(std::string_view s) {
  std::string out;
  append_v1_date(out, s);
  return out;
}
std::string name(std::string_view s) {
  std::string storage;
  return std::string(xml_name(s, storage));
}
}  // namespace

TEST_CASE("exact V2 patterns of the no-schema fallback") {
  CHECK(is_v2_date("2024-01-02"));
  CHECK_FALSE(is_v2_date("2024-1-02"));
  CHECK_FALSE(is_v2_date("2024-01-02 "));
  CHECK_FALSE(is_v2_date("2024/01/02"));
  CHECK_FALSE(is_v2_date("2024-01-02T00:00:00"));
  // Only real calendar dates: the fallback must never turn 2024-13-45 into 13/45/2024.
  CHECK_FALSE(is_v2_date("2024-13-45"));
  CHECK_FALSE(is_v2_date("2023-02-29"));
  CHECK_FALSE(is_v2_date("2024-00-10"));
  CHECK_FALSE(is_v2_date("0000-01-01"));
  CHECK(is_v2_date("2024-02-29"));
  CHECK(is_v2_boolean("true"));
  CHECK(is_v2_boolean("false"));
  CHECK_FALSE(is_v2_boolean("True"));
  CHECK_FALSE(is_v2_boolean("true "));
}

TEST_CASE("V2 -> V1 dates and booleans") {
  CHECK(v1_date("2024-02-14") == "02/14/2024");
  CHECK(v1_date("0001-12-31") == "12/31/0001");
  CHECK(v1_boolean("true") == "True");
  CHECK(v1_boolean("false") == "False");
  CHECK(v1_boolean("yes") == "yes");
}

TEST_CASE("V1 request dates: MM/dd/yyyy, M/d/yyyy, yyyy-MM-dd, checked against the calendar") {
  auto v2 = [](std::string_view s) {
    auto d = parse_v1_date(s);
    return d ? format_v2_date(*d) : std::string("invalid");
  };
  CHECK(v2("10/28/2014") == "2014-10-28");
  CHECK(v2("1/2/2014") == "2014-01-02");
  CHECK(v2("01/2/2014") == "2014-01-02");
  CHECK(v2("2014-10-28") == "2014-10-28");
  CHECK(v2("02/29/2024") == "2024-02-29");
  CHECK(v2("02/29/2023") == "invalid");
  CHECK(v2("02/29/1900") == "invalid");
  CHECK(v2("02/29/2000") == "2000-02-29");
  CHECK(v2("13/01/2024") == "invalid");
  CHECK(v2("00/10/2024") == "invalid");
  CHECK(v2("04/31/2024") == "invalid");
  CHECK(v2("2024-13-01") == "invalid");
  CHECK(v2("10/28/14") == "invalid");
  CHECK(v2("100/28/2014") == "invalid");
  CHECK(v2("10-28-2014") == "invalid");
  CHECK(v2("") == "invalid");
  CHECK(v2("a/b/cdef") == "invalid");
}

TEST_CASE("V1 request dates as .NET wrote them: the date part of each accepted shape (mapping.md §3)") {
  auto v2 = [](std::string_view s) {
    auto d = parse_v1_date(s);
    return d ? format_v2_date(*d) : std::string("invalid");
  };
  CHECK(v2("10/28/2014 00:00:00") == "2014-10-28");
  CHECK(v2("10/28/2014 12:00:00 AM") == "2014-10-28");
  CHECK(v2("10/28/2014 11:59:59 PM") == "2014-10-28");
  CHECK(v2("1/2/2014 9:05:00 am") == "2014-01-02");
  CHECK(v2("2014-10-28T00:00:00") == "2014-10-28");
  CHECK(v2("2014-10-28T00:00:00.0000000") == "2014-10-28");
  CHECK(v2("2014-10-28T00:00:00.0000000-07:00") == "2014-10-28");
  CHECK(v2("2014-10-28T23:30:00Z") == "2014-10-28");  // the date as written: no zone shift
  CHECK(v2("2014-10-28T00:00:00+0530") == "2014-10-28");
  // Not dates, or wrong around the date.
  CHECK(v2("10/28/2014 13:00:00 PM") == "invalid");
  CHECK(v2("10/28/2014 0:00:00 AM") == "invalid");
  CHECK(v2("10/28/2014 24:00:00") == "invalid");
  CHECK(v2("10/28/2014 12:00") == "invalid");
  CHECK(v2("10/28/2014T00:00:00") == "invalid");
  CHECK(v2("2014-10-28 00:00:00") == "invalid");
  CHECK(v2("2014-10-28T00:00:00.12345678") == "invalid");
  CHECK(v2("2014-10-28T00:00:00+15:00") == "invalid");
  CHECK(v2("2/30/2014 00:00:00") == "invalid");
  CHECK(v2("10/28/2014 00:00:00 XM") == "invalid");
  CHECK(v2("next Tuesday") == "invalid");
}

TEST_CASE("V1 timestamps keep time, fraction and offset") {
  const auto t = parse_v1_timestamp("10/28/2014 1:02:03.25 PM");
  REQUIRE(t);
  CHECK(t->has_time);
  CHECK(t->hour == 13);
  CHECK(t->minute == 2);
  CHECK(t->second == 3);
  CHECK(t->fraction == "25");
  CHECK_FALSE(t->has_offset);
  const auto o = parse_v1_timestamp("2014-10-28T00:00:00-07:30");
  REQUIRE(o);
  CHECK(o->has_offset);
  CHECK(o->offset_sign == '-');
  CHECK(o->offset_hours == 7);
  CHECK(o->offset_minutes == 30);
  const auto d = parse_v1_timestamp("2014-10-28");
  REQUIRE(d);
  CHECK_FALSE(d->has_time);
}

TEST_CASE("V1 request booleans as .NET bool.Parse reads them") {
  CHECK(parse_v1_boolean("True") == std::optional<std::string_view>("true"));
  CHECK(parse_v1_boolean("FALSE") == std::optional<std::string_view>("false"));
  CHECK(parse_v1_boolean(" true ") == std::optional<std::string_view>("true"));
  CHECK_FALSE(parse_v1_boolean("1").has_value());
  CHECK_FALSE(parse_v1_boolean("yes").has_value());
  CHECK_FALSE(parse_v1_boolean("").has_value());
}

TEST_CASE("inquiry timestamps yyyy-MM-ddTHH:mm:ss±HH[:mm]") {
  CHECK(is_inquiry_timestamp("2023-03-01T09:30:00-08"));
  CHECK(is_inquiry_timestamp("2023-03-01T09:30:00+05:30"));
  CHECK(is_inquiry_timestamp("2023-03-01T09:30:00-0800"));
  CHECK(is_inquiry_timestamp("2023-03-01T09:30:00.1234567-08:00"));
  CHECK(is_inquiry_timestamp("2023-03-01T09:30:00Z"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01T09:30:00"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01T09:30-08:00"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01T09:30:00.-08:00"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01T09:30:00-8"));
  CHECK_FALSE(is_inquiry_timestamp("2023-03-01T09:30:00-08:0"));
  CHECK_FALSE(is_inquiry_timestamp("Note from 2023-03-01T09:30:00-08"));
}

TEST_CASE("XML escaping") {
  CHECK(xml("plain text") == "plain text");
  CHECK(xml("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e'f");
  CHECK(xml("t\tn\nr\r") == "t&#9;n&#10;r&#13;");
  CHECK(xml(std::string("a\x01" "b\x1f" "c", 5)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  CHECK(xml(std::string("nul\0x", 5)) == "nul\xEF\xBF\xBDx");
  // UTF-8 passes through; U+FFFE / U+FFFF are not XML characters.
  CHECK(xml("Caf\xC3\xA9 \xE2\x98\x80 \xF0\x9D\x84\x9E") == "Caf\xC3\xA9 \xE2\x98\x80 \xF0\x9D\x84\x9E");
  CHECK(xml("\xEF\xBF\xBE|\xEF\xBF\xBF|\xEF\xBF\xBD|\xEF\xAC\x80") == "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xAC\x80");
  CHECK(xml("") == "");
}

TEST_CASE("JSON member names as XML names") {
  CHECK(name("ProjectId") == "ProjectId");
  CHECK(name("_x-1.2") == "_x-1.2");
  CHECK(name("Caf\xC3\xA9") == "Caf\xC3\xA9");
  CHECK(name("my key") == "my_x0020_key");
  CHECK(name("1st") == "_x0031_st");
  CHECK(name("a:b") == "a_x003A_b");
  CHECK(name("xmlns") == "_x0078_mlns");
  CHECK(name("xmlnsX") == "xmlnsX");
  CHECK(name("") == "_");
  CHECK(name("a\xC3\x97" "b") == "a_x00D7_b");  // U+00D7 is not a name character
}

TEST_CASE("JSON string escaping") {
  CHECK(json_str("plain") == "\"plain\"");
  CHECK(json_str("q\"b\\s/") == "\"q\\\"b\\\\s/\"");
  CHECK(json_str("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(json_str(std::string("\x01\0", 2)) == "\"\\u0001\\u0000\"");
  CHECK(json_str("Caf\xC3\xA9") == "\"Caf\xC3\xA9\"");
}

// append_json_string scans eight bytes at a time: every byte that needs escaping is tried at
// every offset of a 20-byte value (in the first word, the second, the byte-loop tail), between
// bytes that must pass unchanged, non-ASCII and DEL among them.
TEST_CASE("JSON string escaping: each special byte at each offset, word scan and tail") {
  const std::pair<char, std::string_view> specials[] = {
      {'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\x1f', "\\u001F"}, {'\0', "\\u0000"}, {'\x01', "\\u0001"}};
  const std::string filler = "ab\x7f\xC3\xA9" "cdefghijklmnopq";  // 20 bytes, none special
  for (const auto& [byte, escaped] : specials) {
    for (std::size_t at = 0; at < filler.size(); ++at) {
      std::string value = filler;
      value[at] = byte;
      const std::string expected = "\"" + filler.substr(0, at) + std::string(escaped) + filler.substr(at + 1) + "\"";
      CHECK_MESSAGE(json_str(value) == expected, "byte ", static_cast<int>(byte), " at ", at);
    }
  }
}

TEST_CASE("UTF-8 validation") {
  CHECK(is_valid_utf8("plain"));
  CHECK(is_valid_utf8("Caf\xC3\xA9 \xE2\x98\x80 \xF0\x9D\x84\x9E"));
  CHECK_FALSE(is_valid_utf8("\xC3"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
}
