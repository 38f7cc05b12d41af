// v1_error_body (declared in translate.hpp). The V1 error body was never documented (I,
// mapping.md §7): V1 clients branch on the status code, so this shape only needs to be
// well-formed XML in the V1 namespace; compat error_body: text gives the bare message.
#include <string>

#include "translators/translate.hpp"

namespace pcbridge::translators {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = at(0);
  std::size_t n = 0;
  unsigned char lo = 0x80;  // allowed range of the second byte (rules out overlongs,
  unsigned char hi = 0xBF;  // surrogates and code points above U+10FFFF)
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size() || at(1) < lo || at(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (!continuation(at(k))) return 0;
  }
  return n;
}

// Attribute value escaping. Control characters XML 1.0 cannot carry are dropped, and
// bytes that are not UTF-8 become '?', as do U+FFFE and U+FFFF (UTF-8, but not XML
// characters), so client or upstream text can never break the document.
void append_attribute(std::string& out, std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\n': out += "&#10;"; continue;  // a raw newline would be normalised to a space
      case '\t': out += "&#9;"; continue;
      case '\r': out += "&#13;"; continue;
      default: break;
    }
    if (c < 0x20) continue;
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    const std::size_t n = utf8_length(value, i);
    const bool non_character = n == 3 && c == 0xEF && static_cast<unsigned char>(value[i + 1]) == 0xBF &&
                               static_cast<unsigned char>(value[i + 2]) >= 0xBE;
    if (non_character) {
      out += '?';
      i += 2;
      continue;
    }
    if (n == 0) {
      out += '?';
      continue;
    }
    out += value.substr(i, n);
    i += n - 1;
  }
}

}  // namespace

std::string v1_error_body(int status, std::string_view message, std::string_view request_id,
                          error_body_form form) {
  if (form == error_body_form::text) {
    std::string out;
    for (char c : message) {  // one line: the message already carries no secrets
      const auto u = static_cast<unsigned char>(c);
      out += u < 0x20 || u == 0x7F ? ' ' : c;
    }
    return out;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Error xmlns=\"";
  out += v1_namespace;
  out += "\" Status=\"";
  out += std::to_string(status);
  out += "\" Message=\"";
  append_attribute(out, message);
  out += "\" RequestId=\"";
  append_attribute(out, request_id);
  out += "\"/>";
  return out;
}

std::string_view v1_error_content_type(error_body_form form) {
  return form == error_body_form::text ? "text/plain; charset=utf-8" : "application/xml; charset=utf-8";
}

}  // namespace pcbridge::translators
