// The fast paths of value_format (ASCII names in xml_name, clean runs in append_xml_escaped)
// and of the V1 XML reader (local_name) agree with the plain definitions: each is compared, on tricky and on generated inputs,
// with a reference written here byte by byte from the rules the header states.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "translators/v1_xml_read.hpp"
#include "translators/value_format.hpp"

using namespace pcbridge::translators::value_format;

namespace {

std::string name(std::string_view s) {
  std::string storage;
  return std::string(xml_name(s, storage));
}

std::string xml(std::string_view s) {
  std::string out = "prefix:";  // appends, never replaces
  append_xml_escaped(out, s);
  return out.substr(7);
}

// xml_name for ASCII input as .NET XmlConvert.EncodeName writes it, ':' and "xmlns" encoded.
std::string reference_ascii_name(std::string_view s) {
  if (s.empty()) return "_";
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool start = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool ok = i == 0 ? start && s != "xmlns" : start || c == '-' || c == '.' || (c >= '0' && c <= '9');
    if (ok) {
      out += c;
    } else {
      const auto v = static_cast<unsigned char>(c);
      out += "_x00";
      out += hex[v >> 4];
      out += hex[v & 0xF];
      out += '_';
    }
  }
  return out;
}

// append_xml_escaped one byte at a time (valid UTF-8 input).
std::string reference_escaped(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '\t') out += "&#9;";
    else if (c == '\n') out += "&#10;";
    else if (c == '\r') out += "&#13;";
    else if (c < 0x20) out += "\xEF\xBF\xBD";
    else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
             (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Deterministic generator (no seed from the clock: a failure reproduces).
struct lcg {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  std::size_t next(std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(state >> 33) % n;
  }
};

}  // namespace

TEST_CASE("xml_name: the ASCII fast path and the code-point walk give the same names") {
  CHECK(name("DataFieldId") == "DataFieldId");
  CHECK(name("_a-b.c9") == "_a-b.c9");
  CHECK(name("9lives") == "_x0039_lives");
  CHECK(name("-x") == "_x002D_x");
  CHECK(name(".x") == "_x002E_x");
  CHECK(name("a:b") == "a_x003A_b");
  CHECK(name(":a") == "_x003A_a");
  CHECK(name("xmlns") == "_x0078_mlns");
  CHECK(name("xmlns:a") == "xmlns_x003A_a");
  CHECK(name("Xmlns") == "Xmlns");
  CHECK(name("a b") == "a_x0020_b");
  CHECK(name("a\x7F") == "a_x007F_");
  // Non-ASCII anywhere leaves the fast path: valid letters pass, others are encoded.
  CHECK(name("Stra\xC3\x9F" "e") == "Stra\xC3\x9F" "e");
  CHECK(name("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
  CHECK(name("a\xC2\xB7" "b") == "a\xC2\xB7" "b");               // U+00B7 is a NameChar
  CHECK(name("\xC2\xB7" "b") == "_x00B7_b");                       // but no NameStartChar
  CHECK(name("ab\xC3\x97") == "ab_x00D7_");                        // U+00D7 is neither
  CHECK(name("k\xF0\x9F\x98\x80") == "k\xF0\x9F\x98\x80");         // U+1F600 (in 10000-EFFFF)
  CHECK(name("\xF3\xB0\x80\x80") == "_x000F0000_");                // U+F0000 is not
  // A returned valid name is the input itself, not a copy.
  std::string storage;
  const std::string_view key = "ProjectNumber";
  CHECK(xml_name(key, storage).data() == key.data());

  // Every ASCII name of one and two characters, and three from a mixed alphabet.
  std::vector<std::string> inputs;
  for (int a = 1; a < 128; ++a) {
    inputs.emplace_back(1, static_cast<char>(a));
    for (int b = 1; b < 128; ++b) inputs.push_back(std::string{static_cast<char>(a), static_cast<char>(b)});
  }
  constexpr std::string_view alphabet = "aZ_09-.: \"<x";
  for (char a : alphabet)
    for (char b : alphabet)
      for (char c : alphabet) inputs.push_back(std::string{a, b, c});
  std::size_t mismatches = 0;
  for (const auto& s : inputs) {
    if (name(s) != reference_ascii_name(s)) {
      if (++mismatches < 5) CHECK(name(s) == reference_ascii_name(s));
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("append_xml_escaped: clean runs and special characters at every position") {
  CHECK(xml("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e'f");
  CHECK(xml("0123456789abcdef0123456789abcdef") == "0123456789abcdef0123456789abcdef");
  CHECK(xml("0123456&") == "0123456&amp;");
  CHECK(xml("01234567&") == "01234567&amp;");
  CHECK(xml("0123456\xEF\xBF\xBE" "x") == "0123456\xEF\xBF\xBD" "x");
  CHECK(xml("012345\xEF\xBF\xBF") == "012345\xEF\xBF\xBD");
  CHECK(xml("0123456\xEF\xAC\x80" "0123456789") == "0123456\xEF\xAC\x80" "0123456789");
  CHECK(xml(std::string("01234567\x1F" "89\x7F", 12)) == "01234567\xEF\xBF\xBD" "89\x7F");
  CHECK(xml("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x98\x80<") == "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x98\x80&lt;");
  CHECK(xml("%'=?;@[]{}|~`^") == "%'=?;@[]{}|~`^");  // neighbours of the specials pass

  // Generated strings over pieces that matter, lengths 0..40 (every offset in an 8-byte block).
  const std::vector<std::string> pieces = {"a", "Z", "0", " ", "&", "<", ">", "\"", "'", "\t", "\n", "\r",
                                           std::string(1, '\0'), "\x01", "\x1F", "\x7F", "\xC3\xA9",
                                           "\xE2\x98\x80", "\xEF\xBF\xBE", "\xEF\xBF\xBF", "\xEF\xBF\xBD",
                                           "\xEF\xAC\x80", "\xF0\x9D\x84\x9E", ";", "=", "?", "%"};
  lcg rng;
  std::size_t mismatches = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const std::size_t n = rng.next(41);
    while (s.size() < n) s += pieces[rng.next(pieces.size())];
    if (xml(s) != reference_escaped(s)) {
      if (++mismatches < 5) CHECK(xml(s) == reference_escaped(s));
    }
  }
  CHECK(mismatches == 0);
}

// local_name tests eight bytes at a time: a ':' at each offset of names up to 20 bytes (first
// word, second word, byte-loop tail), and the first ':' of several wins.
TEST_CASE("local_name: the part after the first ':' wherever it is, the whole name without one") {
  using pcbridge::translators::v1_xml::local_name;
  const std::string letters = "abcdefghijklmnopqrst";
  for (std::size_t size = 0; size <= letters.size(); ++size) {
    const std::string plain = letters.substr(0, size);
    CHECK(local_name(plain) == plain);
    for (std::size_t at = 0; at < size; ++at) {
      std::string qualified = plain;
      qualified[at] = ':';
      CHECK_MESSAGE(local_name(qualified) == plain.substr(at + 1), "':' at ", at, " of ", size);
    }
  }
  CHECK(local_name("a:b:c") == "b:c");
  CHECK(local_name("prefix12:DataFieldId") == "DataFieldId");
  CHECK(local_name(":") == "");
}
