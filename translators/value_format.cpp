#include "translators/value_format.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "translators/byte_scan.hpp"

namespace pcbridge::translators::value_format {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Index of the first byte in p[i, n) that XML output escapes or checks, or n.
std::size_t next_xml_special(const unsigned char* p, std::size_t i, std::size_t n) {
  const char* text = reinterpret_cast<const char*>(p);
  return static_cast<std::size_t>(byte_scan::find_first<byte_scan::xml_escape>(text + i, text + n) - text);
}

// Index of the first byte in p[i, n) that a JSON string escapes, or n.
std::size_t next_json_special(const unsigned char* p, std::size_t i, std::size_t n) {
  const char* text = reinterpret_cast<const char*>(p);
  return static_cast<std::size_t>(byte_scan::find_first<byte_scan::json_escape>(text + i, text + n) - text);
}

// ASCII bytes of XML names without ':': 2 = NameStartChar, 1 = NameChar only, 0 = neither
// (all non-ASCII bytes too: those names take the code-point walk).
constexpr std::array<std::uint8_t, 256> make_ascii_name_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = 2;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = 2;
  t['_'] = 2;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = 1;
  t['-'] = t['.'] = 1;
  return t;
}
constexpr auto ascii_name = make_ascii_name_table();

constexpr std::string_view replacement_char = "\xEF\xBF\xBD";  // U+FFFD

// XML 1.0 NameStartChar / NameChar (https://www.w3.org/TR/xml/#NT-NameStartChar), without ':'.
bool name_start(std::uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
         (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0xEFFFF);
}

bool name_char(std::uint32_t c) {
  return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

// Decodes one code point of valid UTF-8 at s[i], advancing i.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  std::uint32_t c = b0 & (0xFFu >> (len + 1));
  for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k) {
    c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
  }
  i += static_cast<std::size_t>(len);
  return c;
}

void append_hex4(std::string& out, std::uint32_t v, int digits) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(v >> shift) & 0xF];
}

}  // namespace

// A byte loop: find_first_not_of(" \t\r\n") calls memchr for every byte it tests, and
// trim runs on every id and value of a request (5% of a SetProjectData write, callgrind).
std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool is_v2_boolean(std::string_view s) { return s == "true" || s == "false"; }

void append_v1_date(std::string& out, std::string_view d) {
  // One append of the ten bytes: five appends (each checking bounds and capacity) cost a
  // translation with many date fields more than the date check itself.
  const char v1[10] = {d[5], d[6], '/', d[8], d[9], '/', d[0], d[1], d[2], d[3]};
  out.append(v1, sizeof v1);
}

std::string_view v1_boolean(std::string_view v) {
  if (v == "true") return "True";
  if (v == "false") return "False";
  return v;
}

std::optional<std::string_view> parse_v1_boolean(std::string_view s) {
  const auto t = trim(s);
  if (iequals(t, "true")) return std::string_view{"true"};
  if (iequals(t, "false")) return std::string_view{"false"};
  return std::nullopt;
}

bool is_inquiry_timestamp(std::string_view s) {
  // yyyy-MM-ddTHH:mm:ss
  if (s.size() < 20 || !is_v2_date(s.substr(0, 10)) || s[10] != 'T') return false;
  const auto t = s.substr(11, 8);
  if (!(is_digit(t[0]) && is_digit(t[1]) && t[2] == ':' && is_digit(t[3]) && is_digit(t[4]) &&
        t[5] == ':' && is_digit(t[6]) && is_digit(t[7])))
    return false;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && is_digit(rest[n])) ++n;
    if (n == 1) return false;
    rest.remove_prefix(n);
  }
  if (rest == "Z") return true;
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return false;
  rest.remove_prefix(1);
  if (rest.size() == 2) return all_digits(rest);                                    // ±HH
  if (rest.size() == 4) return all_digits(rest);                                    // ±HHmm
  if (rest.size() == 5) return rest[2] == ':' && all_digits(rest.substr(0, 2)) && all_digits(rest.substr(3));  // ±HH:mm
  return false;
}

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void append_xml_escaped(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t run = 0;
  for (std::size_t i = next_xml_special(p, 0, n); i < n; i = next_xml_special(p, i + 1, n)) {
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (p[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case 0xEF:
        // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters.
        if (i + 2 < n && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)) {
          out.append(replacement_char);
          i += 2;
          run = i + 1;
        } else {
          run = i;  // an ordinary character: copied with the next run
        }
        break;
      default: out.append(replacement_char); break;  // other C0 controls
    }
  }
  out.append(s.data() + run, n - run);
}

std::string_view xml_name(std::string_view name, std::string& storage) {
  // Fast path for the usual member name, ASCII letters, digits, '_', '-', '.' with a letter or
  // '_' first: exactly the ASCII names the code-point walk below accepts (':' is never
  // accepted), checked with one table lookup a byte instead of decoding each code point.
  // Anything else (non-ASCII included) takes the walk.
  if (!name.empty() && ascii_name[static_cast<unsigned char>(name[0])] == 2 && name != "xmlns") {
    std::size_t i = 1;
    while (i < name.size() && ascii_name[static_cast<unsigned char>(name[i])] != 0) ++i;
    if (i == name.size()) return name;
  }
  bool valid = !name.empty() && name != "xmlns";
  for (std::size_t i = 0; valid && i < name.size();) {
    const bool first = i == 0;
    const auto c = next_code_point(name, i);
    valid = first ? name_start(c) : name_char(c);
  }
  if (valid) return name;
  storage.clear();
  if (name.empty()) {
    storage.assign(1, '_');
    return storage;
  }
  for (std::size_t i = 0; i < name.size();) {
    const bool first = i == 0;
    const std::size_t start = i;
    const auto c = next_code_point(name, i);
    // "xmlns" is a valid name but would declare a namespace: encode its first letter.
    const bool ok = (first ? name_start(c) : name_char(c)) && !(first && name == "xmlns");
    if (ok) {
      storage.append(name.substr(start, i - start));
    } else if (c > 0xFFFF) {
      storage += "_x";
      append_hex4(storage, c, 8);
      storage += '_';
    } else {
      storage += "_x";
      append_hex4(storage, c, 4);
      storage += '_';
    }
  }
  return storage;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII runs are skipped many bytes at a time: request bodies are mostly ASCII markup.
    i = static_cast<std::size_t>(byte_scan::find_first<byte_scan::non_ascii>(s.data() + i, s.data() + n) - s.data());
    if (i >= n) break;
    const unsigned char b0 = p[i];  // 0x80 or above
    auto cont = [&](std::size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
      i += 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2) && !(b0 == 0xE0 && p[i + 1] < 0xA0) &&
               !(b0 == 0xED && p[i + 1] > 0x9F)) {
      i += 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3) && !(b0 == 0xF0 && p[i + 1] < 0x90) &&
               !(b0 == 0xF4 && p[i + 1] > 0x8F)) {
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

void append_json_escaped(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t run = 0;;) {
    const std::size_t i = next_json_special(p, run, s.size());
    out.append(s.data() + run, i - run);
    if (i == s.size()) break;
    run = i + 1;
    switch (p[i]) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        append_hex4(out, p[i], 2);
        break;
    }
  }
}

}  // namespace pcbridge::translators::value_format
