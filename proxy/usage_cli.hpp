#pragma once
// `pcbridge usage --config FILE [--since DAYS]`: the usage report as a terminal table, read
// from the store the config names (Redis with rate_limit.backend: redis, else
// usage.state_file), so an operator can check before switching a method to `reject`.
// Counts a running pcbridge has not flushed yet (at most usage.flush_interval_s) are not in it.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/usage_data.hpp"

namespace pcbridge::proxy {

// One row per V1 method, sorted by name: the clients that called it, its calls and its last
// call. With `since_days` the clients and calls of the last that many UTC days (today
// included; at most usage_retention_days), and methods without calls in them show 0.
//   METHOD       CLIENTS  CALLS  LAST SEEN
//   GetProjects        2     14  2026-12-01T10:00:00Z
std::string format_usage_table(const usage_data& data, std::optional<int> since_days, std::int32_t today);

// argv after "pcbridge" ("usage", ...). exit_codes.hpp: 0 printed, 1 the store cannot be
// read (or the config names none), 2 bad arguments, 3 an invalid config.
int run_usage_cli(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err);

}  // namespace pcbridge::proxy
