#include "tools/sim/sim_time.hpp"

#include "tools/sim/sim_shapes.hpp"

#include <cstdio>
#include <cstdlib>

namespace pcbridge::sim {

namespace {
using namespace std::chrono;

constexpr minutes display_offset{shapes::display_offset_minutes};

struct local_parts {
  year_month_day ymd;
  hh_mm_ss<ticks> hms;
};

local_parts split_local(time_point t) {
  const auto local = floor<ticks>(t) + display_offset;
  const auto day = floor<days>(local);
  return {year_month_day{day}, hh_mm_ss<ticks>{local - day}};
}

std::string date_text(const year_month_day& ymd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string time_text(const hh_mm_ss<ticks>& hms) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

// "-08:00" (with_minutes) or "-08".
std::string offset_text(bool with_minutes) {
  const int total = shapes::display_offset_minutes;
  const int magnitude = total < 0 ? -total : total;
  char buf[16];
  if (with_minutes) {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", total < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%c%02d", total < 0 ? '-' : '+', magnitude / 60);
  }
  return buf;
}

// A cursor over fixed-width numeric fields.
class scanner {
 public:
  explicit scanner(std::string_view s) : s_(s) {}

  bool digits(std::size_t n, int& out) {
    if (s_.size() - pos_ < n) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    out = v;
    pos_ += n;
    return true;
  }
  bool literal(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<char> peek() const { return pos_ < s_.size() ? std::optional<char>(s_[pos_]) : std::nullopt; }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::optional<sys_days> scan_date(scanner& in) {
  int y = 0, m = 0, d = 0;
  if (!in.digits(4, y) || !in.literal('-') || !in.digits(2, m) || !in.literal('-') || !in.digits(2, d)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::optional<seconds> scan_time_of_day(scanner& in) {
  int h = 0, mi = 0, s = 0;
  if (!in.digits(2, h) || !in.literal(':') || !in.digits(2, mi) || !in.literal(':') || !in.digits(2, s)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  return hours{h} + minutes{mi} + seconds{s};
}

// ".F" to ".FFFFFFF" (1 to 7 digits), as ticks. No dot: zero.
std::optional<ticks> scan_fraction(scanner& in) {
  if (!in.literal('.')) return ticks{0};
  std::int64_t value = 0;
  int count = 0;
  while (in.peek() && *in.peek() >= '0' && *in.peek() <= '9') {
    if (++count > 7) return std::nullopt;
    int digit = 0;
    in.digits(1, digit);
    value = value * 10 + digit;
  }
  if (count == 0) return std::nullopt;
  for (int i = count; i < 7; ++i) value *= 10;
  return ticks{value};
}

// ±HH:mm as the offset east of UTC.
std::optional<minutes> scan_offset(scanner& in) {
  int sign = 0;
  if (in.literal('+')) {
    sign = 1;
  } else if (in.literal('-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }
  int h = 0, m = 0;
  if (!in.digits(2, h) || !in.literal(':') || !in.digits(2, m) || h > 14 || m > 59) return std::nullopt;
  return minutes{sign * (h * 60 + m)};
}
}  // namespace

time_point to_ticks(time_point t) { return time_point{floor<ticks>(t.time_since_epoch())}; }

std::string format_timestamp(time_point t) {
  const auto p = split_local(t);
  return date_text(p.ymd) + "T" + time_text(p.hms) + offset_text(true);
}

std::string format_precise_timestamp(time_point t) {
  const auto p = split_local(t);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%07lld", static_cast<long long>(p.hms.subseconds().count()));
  return date_text(p.ymd) + "T" + time_text(p.hms) + fraction + offset_text(true);
}

std::string format_inquiry_timestamp(time_point t) {
  const auto p = split_local(t);
  return date_text(p.ymd) + "T" + time_text(p.hms) + offset_text(false);
}

std::string format_local_date(time_point t) { return date_text(split_local(t).ymd); }

time_point local_time(int year_, unsigned month_, unsigned day_, int hour, int minute, int second) {
  const sys_days day = year_month_day{year{year_}, month{month_}, std::chrono::day{day_}};
  return time_point{day + hours{hour} + minutes{minute} + seconds{second} - display_offset};
}

std::optional<time_point> parse_changed_since(std::string_view s) {
  scanner in(s);
  const auto day = scan_date(in);
  if (!day || !in.literal('T')) return std::nullopt;
  const auto tod = scan_time_of_day(in);
  if (!tod) return std::nullopt;
  const auto fraction = scan_fraction(in);
  if (!fraction) return std::nullopt;
  const auto offset = scan_offset(in);
  if (!offset || !in.done()) return std::nullopt;
  return time_point{*day + *tod + *fraction - *offset};
}

bool is_iso_date(std::string_view s) {
  scanner in(s);
  return scan_date(in) && in.done();
}

std::optional<filter_time> parse_filter_time(std::string_view s) {
  scanner in(s);
  const auto day = scan_date(in);
  if (!day) return std::nullopt;
  if (in.done()) return filter_time{true, std::string(s), {}};
  if (!in.literal('T')) return std::nullopt;
  const auto tod = scan_time_of_day(in);
  if (!tod || !scan_fraction(in)) return std::nullopt;
  minutes offset = display_offset;
  if (in.literal('Z')) {
    offset = minutes{0};
  } else if (!in.done()) {
    const auto given = scan_offset(in);
    if (!given) return std::nullopt;
    offset = *given;
  }
  if (!in.done()) return std::nullopt;
  return filter_time{false, {}, time_point{*day + *tod - offset}};
}

}  // namespace pcbridge::sim
