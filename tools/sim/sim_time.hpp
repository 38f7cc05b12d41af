#pragma once
// Timestamp formats of the V2 wire (§2.6 of v2-api.md). The sim renders every instant at
// the fixed offset shapes::display_offset_minutes. No clock is read here.
#include <chrono>
#include <cstdint>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>

namespace pcbridge::sim {

using time_point = std::chrono::system_clock::time_point;
// .NET DateTime resolution: what RequestTimestamp's 7 fraction digits can express.
using ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;

// The simulator works in whole ticks so that a rendered RequestTimestamp, sent back as
// changed_since, denotes exactly the instant that was stored.
time_point to_ticks(time_point t);

std::string format_timestamp(time_point t);          // 2024-05-01T12:52:11-08:00
std::string format_precise_timestamp(time_point t);  // 2024-05-01T12:52:11.1234567-08:00
std::string format_inquiry_timestamp(time_point t);  // 2024-05-01T12:52:11-08
std::string format_local_date(time_point t);         // 2024-05-01

// An instant given as wall time at the display offset (seed data).
time_point local_time(int year, unsigned month, unsigned day, int hour, int minute, int second);

// changed_since, strictly: yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz or yyyy-MM-ddTHH:mm:sszzz, where
// FFFFFFF is 1 to 7 digits and zzz is ±HH:mm. Anything else (date only, 'Z', a space where a
// '+' was sent unencoded, a colon before the fraction) is nullopt.
std::optional<time_point> parse_changed_since(std::string_view s);

// A valid calendar date written yyyy-MM-dd.
bool is_iso_date(std::string_view s);

// GetProjectsByData's FilterByStatusDate.DateTime: a date (yyyy-MM-dd) compared by day, or a
// date-time (yyyy-MM-ddTHH:mm:ss[.F…][zzz|Z]; no offset = display offset) compared by second.
struct filter_time {
  bool date_only = false;
  std::string date;  // yyyy-MM-dd when date_only
  time_point at;     // otherwise, whole seconds
};
std::optional<filter_time> parse_filter_time(std::string_view s);

}  // namespace pcbridge::sim
