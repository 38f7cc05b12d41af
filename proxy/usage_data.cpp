#include "proxy/usage_data.hpp"

#include <cstdio>
#include <set>

namespace pcbridge::proxy {

void pair_usage::merge(const pair_usage& other) {
  const bool was_empty = calls == 0 && first_seen == std::chrono::sys_seconds{};
  calls += other.calls;
  errors_4xx += other.errors_4xx;
  errors_5xx += other.errors_5xx;
  if (was_empty || (other.first_seen != std::chrono::sys_seconds{} && other.first_seen < first_seen))
    first_seen = other.first_seen;
  if (other.last_seen > last_seen) last_seen = other.last_seen;
  for (const auto& [day, n] : other.daily) daily[day] += n;
}

void usage_data::merge(const usage_data& other) {
  for (const auto& [key, usage] : other.pairs) pairs[key].merge(usage);
}

void usage_data::prune(std::int32_t today, int retention_days) {
  const std::int32_t oldest = today - retention_days + 1;
  for (auto& [key, usage] : pairs) usage.daily.erase(usage.daily.begin(), usage.daily.lower_bound(oldest));
}

std::size_t usage_data::user_count() const {
  std::set<std::string_view> users;
  for (const auto& [key, usage] : pairs) users.insert(key.user);
  return users.size();
}

std::int32_t day_number(std::chrono::system_clock::time_point tp) {
  return static_cast<std::int32_t>(std::chrono::floor<std::chrono::days>(tp).time_since_epoch().count());
}

std::string iso_date(std::int32_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string iso_time(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const hh_mm_ss hms{t - day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return iso_date(static_cast<std::int32_t>(day.time_since_epoch().count())) + buf;
}

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::int32_t> parse_iso_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) || !digits(text, 5, 2, m) ||
      !digits(text, 8, 2, d))
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::optional<std::chrono::sys_seconds> parse_iso_time(std::string_view text) {
  int h = 0, mi = 0, s = 0;
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') return std::nullopt;
  auto day = parse_iso_date(text.substr(0, 10));
  if (!day || !digits(text, 11, 2, h) || !digits(text, 14, 2, mi) || !digits(text, 17, 2, s) || h > 23 || mi > 59 ||
      s > 59)
    return std::nullopt;
  return std::chrono::sys_seconds{std::chrono::sys_days{std::chrono::days{*day}}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

}  // namespace pcbridge::proxy
