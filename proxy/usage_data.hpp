#pragma once
// The migration usage model, pure data: per legacy client (Basic user name) x V1 method,
// calls, errors by status class, first and last seen, and calls per UTC day for the last
// `retention_days` days. Merged from what is stored (state file or Redis) and what this
// process recorded since its last flush. No I/O, no clock.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pcbridge::proxy {

inline constexpr int usage_retention_days = 90;

struct pair_usage {
  std::uint64_t calls = 0;
  std::uint64_t errors_4xx = 0;
  std::uint64_t errors_5xx = 0;
  std::chrono::sys_seconds first_seen{};
  std::chrono::sys_seconds last_seen{};
  std::map<std::int32_t, std::uint64_t> daily;  // days since 1970-01-01 (UTC) -> calls

  // Adds `other`'s counts; first/last seen widen to cover both.
  void merge(const pair_usage& other);
};

struct usage_key {
  std::string user;
  std::string method;
  friend auto operator<=>(const usage_key&, const usage_key&) = default;
};

struct usage_data {
  std::map<usage_key, pair_usage> pairs;  // ordered by user, then method (byte order)

  void merge(const usage_data& other);
  // Drops daily counts older than `retention_days` before `today` (today included).
  void prune(std::int32_t today, int retention_days = usage_retention_days);
  bool empty() const { return pairs.empty(); }
  std::size_t user_count() const;
};

std::int32_t day_number(std::chrono::system_clock::time_point tp);
std::string iso_date(std::int32_t day);                       // 2026-12-01
std::string iso_time(std::chrono::sys_seconds t);             // 2026-12-01T10:00:00Z
std::optional<std::int32_t> parse_iso_date(std::string_view text);
std::optional<std::chrono::sys_seconds> parse_iso_time(std::string_view text);

// /admin/usage JSON (also the state file's content):
// {"retention_days":90,"clients":[{"user":"u","methods":[{"method":"GetProjects","count":3,
//   "errors":1,"errors_4xx":1,"errors_5xx":0,"first_seen":"...Z","last_seen":"...Z",
//   "daily":{"2026-12-01":3}}]}]}
// Users, methods and days sorted; daily holds days with calls only; invalid UTF-8 in a name
// is replaced by U+FFFD.
std::string render_usage_json(const usage_data& data);
// One line per client x method, RFC 4180 (CRLF, quoted when needed), with the JSON's values:
// user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen (daily counts: JSON only).
std::string render_usage_csv(const usage_data& data);
// The inverse of render_usage_json; nullopt and `error` set for anything else.
std::optional<usage_data> parse_usage_json(std::string_view text, std::string& error);

}  // namespace pcbridge::proxy
