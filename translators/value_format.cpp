#include "translators/value_format.hpp"

#include <array>
#include <cstdint>

namespace pcbridge::translators::value_format {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

std::optional<civil_date> checked(int y, int m, int d) {
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return civil_date{y, m, d};
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
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

// Bytes that end a plain run in XML output: the five specials, C0 controls and 0xEF (the
// first byte of U+FFFE/U+FFFF). 0 = copy as is.
constexpr std::array<std::uint8_t, 256> make_xml_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 1;
  t['&'] = t['<'] = t['>'] = t['"'] = 1;
  t[0xEF] = 1;
  return t;
}
constexpr auto xml_special = make_xml_table();

constexpr std::array<std::uint8_t, 256> make_json_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 1;
  t['"'] = t['\\'] = 1;
  return t;
}
constexpr auto json_special = make_json_table();

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

bool is_v2_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
         all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2)) &&
         checked(to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2)));
}

bool is_v2_boolean(std::string_view s) { return s == "true" || s == "false"; }

void append_v1_date(std::string& out, std::string_view d) {
  out.append(d.substr(5, 2));
  out += '/';
  out.append(d.substr(8, 2));
  out += '/';
  out.append(d.substr(0, 4));
}

std::string_view v1_boolean(std::string_view v) {
  if (v == "true") return "True";
  if (v == "false") return "False";
  return v;
}

namespace {

// A cursor over parse_v1_timestamp's input.
class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool at_end() const { return pos_ == s_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool take(char c) {
    if (at_end() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // min..max ASCII digits (as many as there are, up to max).
  bool number(std::size_t min, std::size_t max, int& value) {
    std::size_t n = 0;
    value = 0;
    while (n < max && is_digit(peek(n))) value = value * 10 + (peek(n++) - '0');
    if (n < min) return false;
    pos_ += n;
    return true;
  }
  std::string_view digits(std::size_t max) {
    std::size_t n = 0;
    while (n <= max && is_digit(peek(n))) ++n;
    if (n == 0 || n > max) return {};
    const auto out = s_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  // "AM"/"PM" in any case: 1 = AM, 2 = PM, 0 = neither (nothing consumed).
  int meridiem() {
    const char a = peek(0), m = peek(1);
    if (!(m == 'M' || m == 'm')) return 0;
    const int which = (a == 'A' || a == 'a') ? 1 : (a == 'P' || a == 'p') ? 2 : 0;
    if (which) pos_ += 2;
    return which;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool read_date(cursor& c, civil_date& out, bool& iso) {
  int a = 0, b = 0, y = 0;
  if (is_digit(c.peek(0)) && is_digit(c.peek(1)) && is_digit(c.peek(2)) && is_digit(c.peek(3)) && c.peek(4) == '-') {
    iso = true;
    if (!c.number(4, 4, y) || !c.take('-') || !c.number(2, 2, a) || !c.take('-') || !c.number(2, 2, b)) return false;
    auto d = checked(y, a, b);
    if (!d) return false;
    out = *d;
    return true;
  }
  iso = false;
  if (!c.number(1, 2, a) || !c.take('/') || !c.number(1, 2, b) || !c.take('/') || !c.number(4, 4, y)) return false;
  auto d = checked(y, a, b);
  if (!d) return false;
  out = *d;
  return true;
}

bool read_offset(cursor& c, v1_timestamp& t) {
  if (c.take('Z') || c.take('z')) {
    t.has_offset = true;
    return true;
  }
  const char sign = c.peek();
  if (sign != '+' && sign != '-' && sign != ' ') return false;
  c.take(sign);
  t.offset_sign = sign == '-' ? '-' : '+';
  if (!c.number(2, 2, t.offset_hours)) return false;
  if (!c.at_end()) {
    c.take(':');
    if (!c.number(2, 2, t.offset_minutes)) return false;
  }
  // UTC offsets in use run from -12:00 to +14:00.
  const int total = t.offset_hours * 60 + t.offset_minutes;
  if (t.offset_minutes > 59 || total > (t.offset_sign == '-' ? 12 * 60 : 14 * 60)) return false;
  t.has_offset = true;
  return true;
}

}  // namespace

std::optional<v1_timestamp> parse_v1_timestamp(std::string_view s) {
  cursor c(s);
  v1_timestamp t;
  bool iso = false;
  if (!read_date(c, t.date, iso)) return std::nullopt;
  if (c.at_end()) return t;
  // After a slash date a '+' stands for a space: .NET's HttpUtility.UrlEncode writes spaces
  // so, and a query decoder that keeps '+' (offsets need it) hands it over unchanged.
  if (!(iso ? c.take('T') : (c.take(' ') || c.take('+')))) return std::nullopt;
  t.has_time = true;
  if (!c.number(iso ? 2 : 1, 2, t.hour) || !c.take(':') || !c.number(2, 2, t.minute) || !c.take(':') ||
      !c.number(2, 2, t.second)) {
    return std::nullopt;
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  if (c.take('.') || c.take(':')) {
    t.fraction = c.digits(7);
    if (t.fraction.empty()) return std::nullopt;
  }
  if (!iso && (c.peek() == ' ' || c.peek() == '+') && !is_digit(c.peek(1))) {
    c.take(c.peek());
    const int m = c.meridiem();
    if (m == 0 || t.hour < 1 || t.hour > 12) return std::nullopt;
    t.hour = (t.hour % 12) + (m == 2 ? 12 : 0);
  }
  if (!c.at_end() && (!read_offset(c, t) || !c.at_end())) return std::nullopt;
  return t;
}

std::optional<civil_date> parse_v1_date(std::string_view s) {
  auto t = parse_v1_timestamp(s);
  if (!t) return std::nullopt;
  return t->date;
}

std::string format_v2_date(const civil_date& d) {
  std::string s(10, '0');
  auto put = [&s](std::size_t pos, int v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      s[pos + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, d.year, 4);
  s[4] = '-';
  put(5, d.month, 2);
  s[7] = '-';
  put(8, d.day, 2);
  return s;
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

void append_xml_escaped(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t run = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!xml_special[p[i]]) continue;
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
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
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
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!json_special[p[i]]) continue;
    out.append(s.data() + run, i - run);
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
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace pcbridge::translators::value_format
