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
#include "proxy/metrics.hpp"
#include "proxy/usage_report.hpp"
#include "proxy/rate_gate.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

struct parsed_schemas;  // schema_types.hpp
struct status_feed;     // status_feed.hpp

// What the pipeline works with; built at start-up (and on reload, later).
struct gateway {
  std::shared_ptr<const config::config> cfg;
  endpoint api;                 // upstream.base_url
  upstream_client* upstream = nullptr;
  token_cache* tokens = nullptr;
  rate_gate* gate = nullptr;
  answer_cache* cache = nullptr;
  const logger* log = nullptr;
  metrics* stats = nullptr;
  usage_report* usage = nullptr;
  parsed_schemas* parsed = nullptr;  // field types kept per shared schema answer; null: parsed per request
  status_feed* feed = nullptr;       // the dashboard's quota and upstream-error view; null: none
};

class pipeline {
 public:
  explicit pipeline(gateway g) : g_(std::move(g)) {}
  awaitable<handler_result> handle(string_request& req, connection_events& events);
  // Route and credentials from the head alone: an answer refuses the request before its
  // body is read (server_options::check_head).
  std::optional<string_response> check_head(const request_head& head) const;

  // Attachments: requests whose body (upload) or answer (download) is bytes are streamed
  // between client and upstream instead of buffered (streaming.cpp).
  bool wants_stream(const request_head& head) const;
  awaitable<void> stream(const request_head& head, stream_exchange& exchange, connection_events& events);
  streaming_hooks hooks();

  // A reloaded configuration: requests already running keep the one they started with.
  void reconfigure(gateway g) { g_ = std::move(g); }
  std::size_t in_flight() const { return *in_flight_; }

 private:
  gateway g_;
  std::shared_ptr<std::size_t> in_flight_ = std::make_shared<std::size_t>(0);
};

}  // namespace pcbridge::proxy
