// Dates as V1 clients wrote them and as V2 writes them (value_format.hpp): the one parser
// of .NET date shapes (parse_v1_timestamp) and the calendar checks behind is_v2_date.
#include <array>

#include "translators/value_format.hpp"

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

}  // namespace

bool is_v2_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
         all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2)) &&
         checked(to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2)));
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


}  // namespace pcbridge::translators::value_format
