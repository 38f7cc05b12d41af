#pragma once
// Where the usage report is kept between restarts and shared between replicas.
//  - state file (no Redis): the /admin/usage JSON, written to "<file>.tmp" then renamed over
//    the file, so a crash leaves the old or the new content, never half of one. A missing
//    file starts empty; an unreadable or corrupt one is reported and started afresh (the bad
//    file is kept aside as "<file>.corrupt").
//  - Redis (rate_limit.backend: redis): every replica adds its counts to the same keys,
//    atomically (one Lua script per flush, HINCRBY):
//      pcbridge:usage:total            c:<method>:<user> calls, 4:/5: errors by class,
//                                      f:/l: first/last seen (epoch seconds, min/max)
//      pcbridge:usage:day:YYYY-MM-DD   <method>:<user> calls that UTC day
//    Day hashes expire 91 days after their last write, the total 400 days after.
//    Basic user names cannot contain ':' (RFC 7617) nor can V1 method names, so the
//    fields split unambiguously.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proxy/redis_client.hpp"
#include "proxy/usage_data.hpp"

namespace pcbridge::proxy {

// ---- state file ----

struct usage_file_load {
  usage_data data;
  std::string problem;  // empty: loaded (or no file yet); else why it was started afresh
};
// `set_aside`: move a corrupt file to "<file>.corrupt" (the proxy); false leaves it (the CLI).
usage_file_load load_usage_file(const std::string& path, bool set_aside = true);
// Empty on success, else the reason (strerror text).
std::string save_usage_file(const std::string& path, const usage_data& data);

// ---- Redis ----

inline constexpr std::string_view usage_key_prefix = "pcbridge:usage:";

// The EVAL command adding `pending` to the shared counters.
std::vector<std::string> usage_flush_command(const usage_data& pending);
// The EVAL command reading the total and the `usage_retention_days` day hashes up to `today`.
std::vector<std::string> usage_read_command(std::int32_t today);
// The reply of usage_read_command as usage_data; nullopt and `error` for a malformed reply.
std::optional<usage_data> decode_usage_snapshot(const redis_value& reply, std::int32_t today, std::string& error);

class redis_usage_store {
 public:
  redis_usage_store(asio::any_io_executor executor, redis_url url, std::chrono::milliseconds timeout)
      : client_(std::move(executor), std::move(url), timeout) {}
  // Empty on success, else a reason safe to log.
  awaitable<std::string> push(const usage_data& pending);
  awaitable<std::optional<usage_data>> pull(std::int32_t today, std::string& error);

 private:
  redis_client client_;
};

}  // namespace pcbridge::proxy
