#pragma once
// One V2 API operation on behalf of a V1 request: quota turn, bearer token, the call,
// and the retry policy:
//  - 401: the token was rejected before anything was processed: new token, once;
//  - 429: upstream did not process it: pause the key for Retry-After, keep our place, retry;
//  - connection refused (nothing sent): retry with backoff, any method;
//  - broken connection, 502/503: retry with backoff only when the call is idempotent;
//  - a timeout is never retried, nor is an answer whose status pcbridge does not pass on
//    (bad_status: 101, other 1xx, 3xx, outside 100..599), which becomes a 502.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "proxy/pipeline.hpp"
#include "proxy/request_state.hpp"
#include "proxy/v1_answers.hpp"

namespace pcbridge::proxy {

struct api_call {
  http::verb method = http::verb::get;
  std::string v2_target;                                   // "/services/v2/..."
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // body headers (Content-Type ...)
  bool idempotent = true;
};

struct api_outcome {
  upstream_result result;                    // valid when `refused` is empty
  std::optional<v1_response> refused;        // pcbridge answered itself (429 from its own queue)
};

// `call` is taken by reference: GCC 12 destroys braced temporaries passed by value to a
// coroutine twice, so callers pass a named object.
awaitable<api_outcome> call_api(const gateway& g, request_state& st, const api_call& call);

// Headers every upstream API call carries: bearer token, API key, Accept, request id and
// the client's MFA headers. Never the inbound Authorization or hop-by-hop headers. `room_for`:
// how many more the caller will add (reserved).
std::vector<std::pair<std::string, std::string>> upstream_headers(const request_state& st, std::size_t room_for = 0);

// 429 answer for a refused quota turn (queue full, wait too long, client gone).
v1_response quota_refusal(const request_state& st, const admission_result& a);

// The V1 answer for a call that got no usable HTTP answer (502/504, with the
// unknown-outcome note for writes that may have been sent).
v1_response failure_answer(const request_state& st, const upstream_result& r, int timeout_ms);

// The V1 answer for a non-2xx upstream answer: its status and (scrubbed) message.
v1_response upstream_error_answer(const request_state& st, const upstream_result& r);

}  // namespace pcbridge::proxy
