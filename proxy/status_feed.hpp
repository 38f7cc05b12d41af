#pragma once
// What the request path tells the dashboard (/admin/status) that metrics and the usage
// report do not keep: each upstream operation per API key (quota_history) and the most
// recent upstream errors, scrubbed (upstream_errors.hpp). Fed by one call in call_api
// after every upstream attempt, retried ones included: each attempt spends quota, and a
// retried 429 or 503 is an error the operator wants to see.
#include <chrono>

#include "proxy/quota_history.hpp"
#include "proxy/upstream_errors.hpp"

namespace pcbridge::proxy {

struct request_state;
struct upstream_result;

struct status_feed {
  quota_history quota;
  upstream_error_ring errors;

  // One upstream attempt of `st` finished with `res` at `now`: an operation, and an error unless 2xx.
  void upstream_attempt(const request_state& st, const upstream_result& res, std::chrono::system_clock::time_point now);
  // The error part alone, for callers that count the operation when it starts (streaming.cpp).
  void upstream_error_seen(const request_state& st, const upstream_result& res,
                           std::chrono::system_clock::time_point now);
};

}  // namespace pcbridge::proxy
