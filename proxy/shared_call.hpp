#pragma once
// An upstream GET whose answer may be shared with other requests (answer_cache.hpp):
// identical GETs of one V2 identity coalesce, and methods with a TTL are served from the
// cache. Other verbs go straight to call_api.
#include <chrono>
#include <memory>
#include <optional>

#include "proxy/metrics.hpp"
#include "proxy/upstream_call.hpp"

namespace pcbridge::proxy {

struct shared_outcome {
  std::shared_ptr<const upstream_result> result;  // set unless `refused`; read in place, never copied
  std::optional<v1_response> refused;             // pcbridge answered itself (its own 429)
};

// `ttl` 0: coalescing only, not counted as a cache lookup.
awaitable<shared_outcome> call_shared(const gateway& g, request_state& st, const api_call& call,
                                      std::chrono::seconds ttl, cache_name cache);

// The answer call_shared would serve `v2_target` from the cache right now, or null (not
// stored, expired, or the client sent Cache-Control: no-cache). Counts nothing.
std::shared_ptr<const upstream_result> peek_shared(const gateway& g, const request_state& st,
                                                   const std::string& v2_target);

// True when `r` (or `o`'s answer) is a 2xx upstream answer.
bool is_success(const upstream_result& r);
bool is_success(const shared_outcome& o);

}  // namespace pcbridge::proxy
