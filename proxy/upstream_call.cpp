#include "proxy/upstream_call.hpp"

#include <boost/asio/steady_timer.hpp>

#include <random>

#include "proxy/retry_policy.hpp"
#include "proxy/status_feed.hpp"
#include "translators/method.hpp"

namespace pcbridge::proxy {

namespace tr = translators;

namespace {

constexpr int max_retries = 2;       // connection failures and 502/503 of idempotent calls
constexpr int max_429_retries = 5;   // upstream 429s waited out for one call

std::string header_value(const string_request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> upstream_headers(const request_state& st, std::size_t room_for) {
  // Built in place: a braced list would copy every pair (and its strings) into the vector.
  std::vector<std::pair<std::string, std::string>> h;
  h.reserve(6 + room_for);
  std::string bearer;
  bearer.reserve(7 + st.token.size());
  bearer.append("Bearer ").append(st.token);
  h.emplace_back("Authorization", std::move(bearer));
  h.emplace_back("X-ApiKey", st.api_key);
  h.emplace_back("Accept", "application/json");
  h.emplace_back("X-Request-Id", st.rec.request_id);
  for (const char* mfa : {"Mfa-One-Time-Password", "Mfa-Session-Token"}) {
    std::string value = header_value(st.req, mfa);
    if (!value.empty()) h.emplace_back(mfa, std::move(value));
  }
  return h;
}

namespace {

double unit_random() {
  static std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(use_tuple);
}

}  // namespace

v1_response quota_refusal(const request_state& st, const admission_result& a) {
  std::string message;
  switch (a.outcome) {
    case admission::queue_full:
      message = "too many requests are waiting for this API key's upstream quota; retry later";
      break;
    case admission::cancelled:
      message = "request cancelled while waiting for the upstream quota";
      break;
    default:
      message = "the wait for this API key's upstream quota would pass upstream.max_wait_ms; retry later";
      break;
  }
  v1_response res = error_for(st, 429, message);
  res.set(http::field::retry_after, std::to_string(std::max<long long>(1, a.retry_after.count())));
  return res;
}

namespace {

std::string write_outcome_note(const request_state& st) {
  const std::string what = st.native_v2 ? "V2 " + std::string(st.req.method_string()) : std::string(tr::method_name(st.route->id));
  return " The outcome of this " + what +
         " write is unknown: it may have been applied upstream. pcbridge did not retry it; check the "
         "project before sending it again (request id " + st.rec.request_id + ").";
}

}  // namespace

awaitable<api_outcome> call_api(const gateway& g, request_state& st, const api_call& call) {
  int refreshes = 0, retries = 0, waits_429 = 0;
  bool keep_place = false;  // after a 429 or 401 this call goes back to the head of the queue
  for (;;) {
    admission_result turn = co_await g.gate->admit(st.api_key, keep_place, st.cancel);
    st.queue_wait += turn.waited;
    g.stats->observe_queue_wait(turn.waited);
    if (g.log->debug_enabled())
      g.log->debug("rid=" + st.rec.request_id + " queue wait " +
                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(turn.waited).count()) +
                   " ms (api key " + api_key_fingerprint(st.api_key) + ")");
    if (turn.outcome != admission::admitted) {
      if (turn.outcome == admission::queue_full) g.stats->count_rate_limited(rate_limit_reason::queue_full);
      if (turn.outcome == admission::wait_too_long) g.stats->count_rate_limited(rate_limit_reason::wait_too_long);
      co_return api_outcome{{}, quota_refusal(st, turn)};
    }
    g.stats->count_upstream_operation(st.api_key);

    upstream_request up;
    up.method = call.method;
    up.target = g.api.path_prefix + call.v2_target;
    up.headers = upstream_headers(st, call.headers.size());
    up.headers.insert(up.headers.end(), call.headers.begin(), call.headers.end());
    up.body = call.body;
    up.idempotent = call.idempotent;
    up.timeout = std::chrono::milliseconds(g.cfg->upstream.timeout_ms);
    ++st.rec.upstream_calls;
    const auto sent_at = std::chrono::steady_clock::now();
    upstream_result res = co_await g.upstream->send(g.api, std::move(up));
    if (g.feed) g.feed->upstream_attempt(st, res, std::chrono::system_clock::now());
    g.stats->observe_upstream(st.rec.v1_method,
                              res.failure == upstream_failure::none ? res.response.result_int() : metrics::no_answer,
                              std::chrono::steady_clock::now() - sent_at);
    if (g.log->debug_enabled())
      g.log->debug("rid=" + st.rec.request_id + " upstream " + std::string(http::to_string(call.method)) + " " +
                   call.v2_target + " -> " +
                   (res.failure == upstream_failure::none ? std::to_string(res.response.result_int())
                                                          : "no answer (" + res.detail + ")") +
                   " (retries so far " + std::to_string(retries) + ", token refreshes " + std::to_string(refreshes) +
                   ", 429 waits " + std::to_string(waits_429) + ")");

    if (res.failure != upstream_failure::none) {
      const bool not_sent = res.failure == upstream_failure::connect;
      const bool retryable = not_sent || (call.idempotent && res.failure == upstream_failure::broken);
      if (retryable && retries < max_retries) {
        co_await sleep_for(retry_backoff(retries++, unit_random()));
        continue;
      }
      co_return api_outcome{std::move(res), std::nullopt};
    }

    const int status = res.response.result_int();
    st.rec.upstream_status = status;
    if (status == 401 && refreshes++ == 0) {
      if (!g.tokens->invalidate(st.creds, st.token)) co_return api_outcome{std::move(res), std::nullopt};
      token_lookup fresh = co_await g.tokens->get(st.creds);
      if (!fresh.ok) {
        // Upstream no longer takes the token and no new one can be had: a token problem
        // (503), not the client's credentials.
        st.rec.note = "no_token";
        co_return api_outcome{{}, error_for(st, 503, "no access token could be obtained for this client: " + fresh.error)};
      }
      st.token = std::move(fresh.access_token);
      keep_place = true;
      continue;
    }
    if (status == 429 && waits_429++ < max_429_retries) {
      g.stats->count_rate_limited(rate_limit_reason::upstream_429);
      // Not processed upstream, so safe to repeat even for writes; everyone on this key waits.
      auto it = res.response.find(http::field::retry_after);
      auto wait = it == res.response.end() ? std::nullopt : parse_retry_after(it->value(), std::time(nullptr));
      co_await g.gate->pause(st.api_key, std::min(wait.value_or(default_429_backoff), max_429_backoff));
      keep_place = true;
      continue;
    }
    if ((status == 502 || status == 503) && call.idempotent && retries < max_retries) {
      co_await sleep_for(retry_backoff(retries++, unit_random()));
      continue;
    }
    co_return api_outcome{std::move(res), std::nullopt};
  }
}

v1_response failure_answer(const request_state& st, const upstream_result& r, int timeout_ms) {
  // HEAD is a read like GET (native V2 passes it through; V1 routes carry their own flag).
  const bool idempotent = st.native_v2 ? st.req.method() == http::verb::get || st.req.method() == http::verb::head
                                       : st.route->idempotent;
  const bool unknown_write = !idempotent && r.may_have_been_sent;
  switch (r.failure) {
    case upstream_failure::timeout:
      return error_for(st, 504, "upstream did not answer within " + std::to_string(timeout_ms) + " ms." +
                                    (unknown_write ? write_outcome_note(st) : ""));
    case upstream_failure::too_large:
      return error_for(st, 502, "upstream answer is larger than upstream.max_response_bytes");
    case upstream_failure::connect:
      return error_for(st, 502, "upstream unreachable: " + r.detail);
    case upstream_failure::bad_status:
      return error_for(st, 502, r.detail + "." + (unknown_write ? write_outcome_note(st) : ""));
    case upstream_failure::broken:
    case upstream_failure::none:
      break;
  }
  return error_for(st, 502, "upstream connection failed: " + r.detail + "." + (unknown_write ? write_outcome_note(st) : ""));
}

v1_response upstream_error_answer(const request_state& st, const upstream_result& r) {
  std::string message = upstream_error_message(r.response.body());
  if (message.empty()) message = std::string(r.response.reason());
  const std::initializer_list<std::string_view> secrets = {st.token, st.creds.client_secret, st.api_key, st.password};
  message = scrub_secrets("upstream: " + message, secrets);
  v1_response res = v1_error(r.response.result_int(), message, st.rec.request_id, st.error_body);
  copy_upstream_header(r.response, res, "Retry-After", secrets);
  copy_upstream_header(r.response, res, "x-amzn-RequestId", secrets);
  return res;
}

}  // namespace pcbridge::proxy
