// The validating JSON pull reader behind the streaming response translator.
#include <doctest/doctest.h>

#include <string>

#include "translators/json_reader.hpp"

using namespace pcbridge::translators::json;

namespace {
// Whole-document validity through skip_value + finish.
bool valid(std::string_view text) {
  reader r(text);
  return r.skip_value(0) && r.finish();
}
std::string problem(std::string_view text) {
  reader r(text);
  if (r.skip_value(0) && r.finish()) return "ok";
  return std::string(r.problem()) + " @" + std::to_string(r.offset());
}
std::string decoded(std::string_view literal) {
  reader r(literal);
  std::string storage;
  std::string_view s;
  if (!r.read_string(s, storage)) return std::string("error: ") + r.problem();
  return std::string(s);
}
}  // namespace

TEST_CASE("accepts RFC 8259 documents") {
  CHECK(valid("{}"));
  CHECK(valid("[]"));
  CHECK(valid(" { \"a\" : [ 1 , -0.5e+3 , true , false , null , \"x\" , { } ] } \n"));
  CHECK(valid("\"just a string\""));
  CHECK(valid("0"));
  CHECK(valid("-1.25E-10"));
}

TEST_CASE("rejects what is not JSON, with the problem and offset") {
  CHECK(problem("") == "unexpected end of input @0");
  CHECK(problem("{\"a\":1,}") == "trailing comma @7");
  CHECK(problem("[1,]") == "trailing comma @3");
  CHECK(problem("{\"a\" 1}") == "expected ':' after a member name @5");
  CHECK(problem("{a:1}") == "expected a member name @1");
  CHECK(problem("[1 2]") == "expected ',' or ']' @3");
  CHECK(problem("{\"a\":1 \"b\":2}") == "expected ',' or '}' @7");
  CHECK(problem("{} x") == "unexpected data after the JSON document @3");
  CHECK(problem("01") == "unexpected data after the JSON document @1");
  CHECK(problem("1.") == "invalid number @2");
  CHECK(problem("-") == "invalid number @1");
  CHECK(problem("1e") == "invalid number @2");
  CHECK(problem("tru") == "invalid literal @0");
  CHECK(problem("nul") == "invalid literal @0");
  CHECK(problem("\"abc") == "unterminated string @4");
  CHECK(problem("\"a\nb\"") == "control character in a string @2");
  CHECK(problem("\"\\x\"") == "invalid escape in a string @2");
  CHECK(problem("{\"a\":") == "unexpected end of input @5");
  CHECK(problem("[") == "unexpected end of input @1");
}

TEST_CASE("strings: escapes decoded, UTF-8 checked, views into the input when plain") {
  CHECK(decoded("\"plain\"") == "plain");
  CHECK(decoded(R"("a\"b\\c\/d\n\t\r\b\f")") == "a\"b\\c/d\n\t\r\b\f");
  CHECK(decoded(R"("\u0041\u00e9\u2600")") == "A\xC3\xA9\xE2\x98\x80");
  CHECK(decoded(R"("\ud834\udd1e")") == "\xF0\x9D\x84\x9E");
  CHECK(decoded(R"("\u0000")") == std::string(1, '\0'));
  CHECK(decoded("\"Caf\xC3\xA9 \xF0\x9D\x84\x9E\"") == "Caf\xC3\xA9 \xF0\x9D\x84\x9E");
  CHECK(decoded(R"("\ud834")") == "error: lone surrogate in \\u escape");
  CHECK(decoded(R"("\udd1e")") == "error: lone surrogate in \\u escape");
  CHECK(decoded(R"("\ud834\u0041")") == "error: lone surrogate in \\u escape");
  CHECK(decoded(R"("\u12G4")") == "error: invalid \\u escape");
  CHECK(decoded("\"\xC3\"") == "error: invalid UTF-8 in a string");
  CHECK(decoded("\"\xED\xA0\x80\"") == "error: invalid UTF-8 in a string");
  CHECK(decoded("\"\xC0\xAF\"") == "error: invalid UTF-8 in a string");

  const std::string text = "\"view\"";
  reader r(text);
  std::string storage;
  std::string_view s;
  REQUIRE(r.read_string(s, storage));
  CHECK(s.data() == text.data() + 1);  // no copy for a plain string
}

TEST_CASE("numbers come back exactly as written") {
  reader r("[-1.50e3, 0, 12345678901234567890]");
  r.peek();
  r.begin_container();
  std::string_view raw;
  REQUIRE(r.next_item());
  REQUIRE(r.read_number(raw));
  CHECK(raw == "-1.50e3");
  REQUIRE(r.next_item());
  REQUIRE(r.read_number(raw));
  CHECK(raw == "0");
  REQUIRE(r.next_item());
  REQUIRE(r.read_number(raw));
  CHECK(raw == "12345678901234567890");
  CHECK_FALSE(r.next_item());
  CHECK_FALSE(r.failed());
}

TEST_CASE("nesting deeper than the limit is refused, not recursed") {
  const int depth = reader::max_depth + 10;
  const std::string deep = std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
  CHECK(problem(deep).starts_with("nesting too deep"));
  const std::string ok = std::string(50, '[') + std::string(50, ']');
  CHECK(valid(ok));
}

// The reader tests eight string bytes at a time (skip_plain): a special byte at every offset
// of a word, and a string ending near the end of the input, must read as byte by byte.
TEST_CASE("strings: a special byte at every position of the eight-byte scan") {
  const std::string plain = "abcdefghijklmnopqrstuvwx";  // 24 plain bytes, three words
  for (std::size_t at = 0; at <= plain.size(); ++at) {
    CAPTURE(at);
    const std::string head = plain.substr(0, at), tail = plain.substr(at);
    // The closing quote itself at every offset, with a document going on behind it.
    {
      const std::string doc = "[\"" + head + "\",\"z\"]";
      reader r(doc);
      std::string storage;
      std::string_view s, z;
      r.begin_container();
      CHECK(r.next_item());
      CHECK(r.read_string(s, storage));
      CHECK(s == head);
      CHECK(s.data() == doc.data() + 2);  // a view into the input, not a copy
      CHECK(r.next_item());
      CHECK(r.read_string(z, storage));
      CHECK(z == "z");
      CHECK_FALSE(r.next_item());
      CHECK(r.finish());
    }
    CHECK(decoded("\"" + head + "\\n" + tail + "\"") == head + "\n" + tail);
    CHECK(decoded("\"" + head + "\\\"" + tail + "\"") == head + "\"" + tail);
    CHECK(decoded("\"" + head + "\xC3\xA9" + tail + "\"") == head + "\xC3\xA9" + tail);
    CHECK(decoded("\"" + head + "\x7F" + tail + "\"") == head + "\x7F" + tail);  // DEL is plain
    CHECK(decoded("\"" + head + "\x1F" + tail + "\"") == "error: control character in a string");
    CHECK(decoded("\"" + head + "\xFF" + tail + "\"") == "error: invalid UTF-8 in a string");
    CHECK(decoded("\"" + head) == "error: unterminated string");
  }
  CHECK(problem("[\"abcdefghijklmnop\t\"]") == "control character in a string @18");
}
