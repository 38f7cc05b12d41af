#pragma once
// GET /admin/status: what the dashboard shows beyond /admin/usage, as JSON:
// {"generated_at":"2026-12-02T10:00:00Z","today":"2026-12-02","quiet_after_days":30,
//  "methods":[{"method":"GetProjects","mode":"translate|reject|unavailable|-","calls":3,"clients":1,
//              "last_seen":"...Z"|null,"days_since_last_call":0|null,"state":"in_use|quiet|unused"}],
//  "quota":{"scope":"this instance","operations_per_hour":3600,"max_queue":1000,
//           "keys":[{"api_key":"<fingerprint>","clients":["alice"],"operations_last_hour":4,"queue_length":0}]},
//  "tokens":[{"user":"alice","client_id":"id","state":"valid|missing|failing","age_s":1|null,"expires_in_s":3599|null,
//             "last_error":""}],
//  "upstream_errors":{"total":1,"capacity":20,
//                     "recent":[{"time":"...Z","status":500|null,"method":"GetProjects","user":"alice","message":"..."}]}}
// methods: every V1 method of the route table in its order (Generic last), then any other method
// the usage report holds (NativeV2), mode "-". state: "unused" without a call in the report's
// retention, "quiet" when the last call is quiet_after_days or more days old (candidates for
// routes: reject, then retirement), else "in_use". quota.keys: every key with an operation in the
// last hour or a queue, and every configured key; named by fingerprint (api_key_fingerprint),
// never the key; clients: the configured users with that key ("(pass-through)" for
// basic_as_client_credentials.api_key). tokens: one per configured client, never the token.
// upstream_errors.recent: newest first, messages scrubbed (upstream_errors.hpp).
// The document names clients: admin_handler serves it under the same rule as /admin/usage.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "proxy/quota_history.hpp"
#include "proxy/upstream_errors.hpp"
#include "proxy/usage_data.hpp"

namespace pcbridge::proxy {

inline constexpr int default_quiet_after_days = 30;

struct token_health {
  bool valid = false;
  std::optional<std::chrono::seconds> age;         // since the held token was fetched
  std::optional<std::chrono::seconds> expires_in;
  std::string last_error;  // scrubbed (token_cache::last_error)
};

struct status_inputs {
  std::chrono::system_clock::time_point now;
  const config::config& cfg;
  const usage_data& usage;
  const quota_history& quota;
  const upstream_error_ring& errors;
  std::function<token_health(const config::client_config&)> token_of;
  int quiet_after_days = default_quiet_after_days;
};

std::string render_status_json(const status_inputs& in);

class usage_report;
class token_cache;
struct status_feed;

// The admin route's source: renders from the running gateway's parts at each call. `cfg` is
// read through the reference at each call, so a reload's config is shown.
std::function<std::string()> status_source(const std::shared_ptr<const config::config>& cfg, const usage_report& usage,
                                           const token_cache& tokens, const status_feed& feed);

}  // namespace pcbridge::proxy
