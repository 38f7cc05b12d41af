#include "translators/xml_references.hpp"

#include <algorithm>
#include <cstdint>

#include "translators/query.hpp"
#include "translators/v1_xml_read.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::v1_xml {

namespace {

namespace vf = value_format;

// Longest reference body worth reading: "#x10FFFF" with leading zeros, or an entity name.
constexpr std::size_t max_reference = 32;

// XML 1.0 Char production: what a character reference may name.
bool is_xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// The code point of a character reference's body ("#65", "#x41"); nullopt when malformed.
std::optional<std::uint32_t> char_reference(std::string_view body) {
  const bool hex = body.size() > 1 && body[1] == 'x';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return std::nullopt;
  std::uint32_t c = 0;
  for (char d : digits) {
    int v = -1;
    if (d >= '0' && d <= '9') v = d - '0';
    else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
    else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
    if (v < 0) return std::nullopt;
    c = c * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
  }
  return c;
}

// Bytes that end a reference's name before its ';': what a reference cannot contain.
bool ends_reference(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == '<'; }

enum class reference_problem { none, no_reference, no_xml_character, undefined_entity };

// The reference at the start of `raw` (raw[0] == '&'): its length through the ';', with what
// it stands for appended to `out`; or the problem (length 0).
std::pair<std::size_t, reference_problem> decode_one(std::string_view raw, std::string& out) {
  // One byte loop to the ';' (a find for it, then a find_first_of over the body, made a
  // memchr call per byte of every reference).
  const std::size_t limit = std::min(raw.size(), max_reference + 2);
  std::size_t semi = 1;
  while (semi < limit && raw[semi] != ';' && !ends_reference(raw[semi])) ++semi;
  if (semi == limit || raw[semi] != ';') return {0, reference_problem::no_reference};
  const std::string_view body = raw.substr(1, semi - 1);
  if (body == "lt") out += '<';
  else if (body == "gt") out += '>';
  else if (body == "amp") out += '&';
  else if (body == "apos") out += '\'';
  else if (body == "quot") out += '"';
  else if (body.starts_with('#')) {
    const auto c = char_reference(body);
    if (!c || !is_xml_char(*c)) return {0, reference_problem::no_xml_character};
    vf::append_utf8(out, *c);
  } else {
    return {0, reference_problem::undefined_entity};
  }
  return {semi + 1, reference_problem::none};
}

failure refusal(method_id m, std::string_view raw, reference_problem problem) {
  if (problem == reference_problem::no_reference) {
    return bad_request(m, "malformed XML: '&' that starts no reference (\"" + quote_for_message(raw.substr(0, 12)) +
                              "\"; write &amp;)");
  }
  const std::string_view reference = raw.substr(0, raw.find(';') + 1);
  if (problem == reference_problem::no_xml_character) {
    return bad_request(m, "malformed XML: character reference " + quote_for_message(reference) +
                              " names no XML character");
  }
  return bad_request(m, "malformed XML: undefined entity reference " + quote_for_message(reference));
}

}  // namespace

std::optional<failure> decode_references(method_id m, std::string_view raw, std::string& out) {
  out.clear();
  while (true) {
    const auto amp = raw.find('&');
    out.append(raw.substr(0, amp));
    if (amp == std::string_view::npos) return std::nullopt;
    raw.remove_prefix(amp);
    const auto [length, problem] = decode_one(raw, out);
    if (length == 0) return refusal(m, raw, problem);
    raw.remove_prefix(length);
  }
}

bool every_reference_decodable(std::string_view xml) {
  std::string scratch;
  for (auto amp = xml.find('&'); amp != std::string_view::npos; amp = xml.find('&', amp + 1)) {
    scratch.clear();
    if (decode_one(xml.substr(amp), scratch).first == 0) return false;
  }
  return true;
}

}  // namespace pcbridge::translators::v1_xml
