// normalize_changed_since (declared in route_table.hpp): V1 accepted loose timestamps,
// V2 only yyyy-MM-ddTHH:mm:ss[.FFFFFFF]zzz, so every V1 form is rewritten here or refused
// with a 400 before anything goes upstream.
#include <string>

#include "translators/query.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::translators {

namespace {

class reader {
 public:
  explicit reader(std::string_view s) : s_(s) {}

  bool at_end() const { return pos_ == s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  bool take(char c) {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }
  // Exactly `n` ASCII digits; their text goes to `text`, their value to `value`.
  bool digits(std::size_t n, int& value, std::string& text) {
    if (s_.size() - pos_ < n) return false;
    value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    text.assign(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  // 1..max digits, kept as written (fractions are not rounded or padded).
  bool some_digits(std::size_t max, std::string& text) {
    std::size_t n = 0;
    while (pos_ + n < s_.size() && s_[pos_ + n] >= '0' && s_[pos_ + n] <= '9') ++n;
    if (n == 0 || n > max) return false;
    text.assign(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// "+HH:mm", "+HHmm", "+HH", "Z"; a space stands for a '+' that a query decoder turned
// into a space. Writes the V2 form ±HH:mm. Must consume the rest of the input.
bool read_offset(reader& r, std::string& out) {
  if (r.take('Z') || r.take('z')) {
    out = "+00:00";
    return r.at_end();
  }
  char sign = r.peek();
  if (sign != '+' && sign != '-' && sign != ' ') return false;
  r.take(sign);
  if (sign == ' ') sign = '+';
  int hh = 0;
  int mm = 0;
  std::string hh_text;
  std::string mm_text = "00";
  if (!r.digits(2, hh, hh_text)) return false;
  if (!r.at_end()) {
    r.take(':');
    if (!r.digits(2, mm, mm_text)) return false;
  }
  // UTC offsets in use run from -12:00 to +14:00.
  if (mm > 59 || hh * 60 + mm > 14 * 60) return false;
  out = std::string(1, sign) + hh_text + ":" + mm_text;
  return r.at_end();
}

std::string bad_changed_since(std::string_view value) {
  return "changed_since value \"" + quote_for_message(value) +
         "\" is not a valid timestamp (use yyyy-MM-dd or "
         "yyyy-MM-ddTHH:mm:ss[.fffffff]+HH:mm)";
}

}  // namespace

outcome<std::string> normalize_changed_since(std::string_view v1_value,
                                             std::string_view default_offset) {
  const failure bad{400, bad_changed_since(v1_value)};
  reader r(v1_value);
  int year = 0, month = 0, day = 0;
  std::string y, mo, d;
  if (!r.digits(4, year, y) || !r.take('-') || !r.digits(2, month, mo) || !r.take('-') ||
      !r.digits(2, day, d)) {
    return bad;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return bad;
  }
  std::string out = y + "-" + mo + "-" + d + "T";
  if (r.at_end()) return out + "00:00:00" + std::string(default_offset);

  int hour = 0, minute = 0, second = 0;
  std::string h, mi, s;
  if (!r.take('T') || !r.digits(2, hour, h) || !r.take(':') || !r.digits(2, minute, mi) ||
      !r.take(':') || !r.digits(2, second, s)) {
    return bad;
  }
  if (hour > 23 || minute > 59 || second > 59) return bad;
  out += h + ":" + mi + ":" + s;

  // V1 docs print the fraction after a colon; V2 wants a dot.
  if (r.take('.') || r.take(':')) {
    std::string fraction;
    if (!r.some_digits(7, fraction)) return bad;
    out += "." + fraction;
  }
  if (r.at_end()) return out + std::string(default_offset);
  std::string offset;
  if (!read_offset(r, offset)) return bad;
  return out + offset;
}

}  // namespace pcbridge::translators
