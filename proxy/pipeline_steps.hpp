#pragma once
// The steps every V1 request takes before its upstream call, shared by the buffered
// pipeline (pipeline.cpp) and the streamed attachments (streaming.cpp). Each returns an
// answer to send now, or nothing to go on.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/pipeline.hpp"
#include "proxy/request_state.hpp"
#include "proxy/v1_answers.hpp"

namespace pcbridge::proxy {

using step_result = std::optional<v1_response>;

std::optional<translators::http_verb> to_verb(http::verb v);
std::string header_value(const string_request& req, std::string_view name);
void copy_header(const http::response_header<>& from, v1_response& to, std::string_view name);

// A fresh request id (16 hex digits).
std::string new_request_id();

// An answer pcbridge gives itself, with a short note for the access log.
step_result refuse(request_state& st, std::string note, int status, const std::string& message);

// The match options of this gateway's configuration, for a client flagged admin or not.
translators::match_options route_options(const gateway& g, bool admin);
// translators::match_v1, remembering its last answer (per thread): the head check, the
// streaming decision and the run of one request each ask for the same match. The reference
// is valid until the next call.
const translators::outcome<translators::route_match>& matched_route(translators::http_verb verb, std::string_view target,
                                                                    const translators::match_options& options);
// Route match (404/405/400 before anything else), availability, cutover mode.
step_result match_route(const gateway& g, request_state& st, bool admin);
// debug: the routing decision, once per request (run() and run_stream() call it after the
// route steps; check_head() matches the route too, so match_route itself does not log).
void log_route(const gateway& g, const request_state& st);
// Basic credentials against the configured clients, then the API key to use.
step_result authenticate_client(const gateway& g, request_state& st);
// A token for the client (cached; one fetch in flight; never an expired one).
awaitable<step_result> obtain_token(const gateway& g, request_state& st);

// The access record of a new request: request id (the client's if safe), method, path.
access_record start_record(const string_request& req);
// One access-log line, request metrics and the usage report, once the answer is known.
void finish_record(const gateway& g, request_state& st, int status, std::chrono::steady_clock::time_point started);

// Counts a request as running for as long as it lives. Shares the counter: a request cut
// off at shutdown is destroyed with the io_context, after the pipeline is gone.
class in_flight_guard {
 public:
  explicit in_flight_guard(std::shared_ptr<std::size_t> counter) : counter_(std::move(counter)) { ++*counter_; }
  ~in_flight_guard() { --*counter_; }
  in_flight_guard(const in_flight_guard&) = delete;
  in_flight_guard& operator=(const in_flight_guard&) = delete;

 private:
  std::shared_ptr<std::size_t> counter_;
};

}  // namespace pcbridge::proxy
