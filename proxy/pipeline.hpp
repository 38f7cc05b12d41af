#pragma once
// The data path of one V1 request, written down once:
//   route match -> mode/availability -> Basic auth -> API key -> translate request ->
//   token -> quota turn + upstream call (upstream_call.hpp) -> translate answer -> access log.
// Each step either continues or answers now with a V1 error (v1_answers.hpp).
#include <functional>
#include <memory>

#include "config/config.hpp"
#include "proxy/access_log.hpp"
#include "proxy/answer_cache.hpp"
#include "proxy/coro.hpp"
#include "proxy/endpoint.hpp"
#include "proxy/http_server.hpp"
#include "proxy/rate_gate.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

// What the pipeline works with; built at start-up (and on reload, later).
struct gateway {
  std::shared_ptr<const config::config> cfg;
  endpoint api;                 // upstream.base_url
  upstream_client* upstream = nullptr;
  token_cache* tokens = nullptr;
  rate_gate* gate = nullptr;
  answer_cache* cache = nullptr;
  const logger* log = nullptr;
  std::function<void(cache_outcome)> on_cache;  // metrics hook
};

class pipeline {
 public:
  explicit pipeline(gateway g) : g_(std::move(g)) {}
  awaitable<handler_result> handle(string_request& req);

 private:
  gateway g_;
};

}  // namespace pcbridge::proxy
