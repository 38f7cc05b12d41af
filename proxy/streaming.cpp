// Attachments: uploads and downloads are streamed between the V1 client and upstream in
// fixed-size pieces, so a file never sits whole in memory. The steps before the upstream
// call are the pipeline's (route, auth, token, quota turn); then bytes are pumped.
// Retry policy: a download (GET) whose answer is 401 before any byte reached the client
// gets a new token and one more try; an upload is never repeated (its body is gone), so
// a 401 or 429 answer tells the client to send it again, which is safe: it was not processed.
#include <boost/asio/steady_timer.hpp>

#include <array>

#include "proxy/pipeline.hpp"
#include "proxy/pipeline_steps.hpp"
#include "proxy/request_state.hpp"
#include "proxy/status_feed.hpp"
#include "proxy/upstream_call.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"

namespace pcbridge::proxy {

namespace tr = translators;

namespace {

constexpr std::size_t piece_size = 64 * 1024;
constexpr std::size_t max_error_body = 64 * 1024;  // upstream answers read whole (errors, upload answers)

struct stream_outcome {
  step_result answer;        // a buffered answer still to send (errors, upload answers)
  bool streamed = false;     // the answer went to the client as a stream already
  int status = 0;
};

// The request head as a string_request, so the shared steps can read its headers.
string_request header_only(const request_head& head) {
  string_request req;
  req.base() = head;
  return req;
}

awaitable<std::optional<std::string>> read_small_body(upstream_stream& up) {
  std::string body;
  std::array<char, 16 * 1024> piece;
  for (;;) {
    auto n = co_await up.read_body(piece);
    if (!n) co_return std::nullopt;
    if (*n == 0) co_return body;
    if (body.size() < max_error_body) body.append(piece.data(), std::min(*n, max_error_body - body.size()));
  }
}

std::optional<std::uint64_t> declared_length(const request_head& head) {
  auto it = head.find(http::field::content_length);
  if (it == head.end()) return std::nullopt;
  try {
    return std::stoull(std::string(it->value()));
  } catch (...) {
    return std::nullopt;
  }
}

upstream_result as_result(const http::response_header<>& head, std::string body) {
  upstream_result r;
  r.response.base() = head;
  r.response.body() = std::move(body);
  return r;
}

http::request_header<> upstream_head(const gateway& g, const request_state& st) {
  http::request_header<> h;
  h.method(st.req.method());
  h.target(g.api.path_prefix + st.v2_target);
  h.set(http::field::host, g.api.host);
  for (const auto& [name, value] : upstream_headers(st)) h.set(name, value);
  if (st.route->response_body == tr::body_kind::binary) h.set(http::field::accept, "*/*");
  for (const char* name : {"Content-Type", "Content-Disposition"}) {
    std::string value = header_value(st.req, name);
    if (!value.empty() && st.route->request_body == tr::body_kind::binary) h.set(name, value);
  }
  return h;
}

awaitable<stream_outcome> run_stream(const gateway& g, request_state& st, stream_exchange& client) {
  const config::config& cfg = *g.cfg;
  if (auto answer = match_route(g, st, false)) co_return stream_outcome{std::move(answer)};
  if (auto answer = authenticate_client(g, st)) co_return stream_outcome{std::move(answer)};
  if (st.who.admin)
    if (auto answer = match_route(g, st, true)) co_return stream_outcome{std::move(answer)};
  log_route(g, st);
  if (auto answer = co_await obtain_token(g, st)) co_return stream_outcome{std::move(answer)};

  const bool upload = st.route->request_body == tr::body_kind::binary;
  const auto step_timeout = std::chrono::milliseconds(cfg.upstream.timeout_ms);
  std::array<char, piece_size> piece;

  for (int attempt = 0;; ++attempt) {
    admission_result turn = co_await g.gate->admit(st.api_key, attempt > 0, st.cancel);
    st.queue_wait += turn.waited;
    g.stats->observe_queue_wait(turn.waited);
    if (turn.outcome != admission::admitted) co_return stream_outcome{quota_refusal(st, turn)};
    g.stats->count_upstream_operation(st.api_key);
    if (g.feed) g.feed->quota.count_operation(st.api_key, std::chrono::system_clock::now());
    ++st.rec.upstream_calls;

    const auto sent_at = std::chrono::steady_clock::now();
    std::string detail;
    auto up = co_await g.upstream->open_stream(g.api, step_timeout, detail);
    if (!up) co_return stream_outcome{v1_error(502, "upstream unreachable: " + detail, st.rec.request_id, st.error_body)};

    const auto fail = [&](upstream_stream& s, bool body_sent) {
      upstream_result r;
      r.failure = s.timed_out ? upstream_failure::timeout
                  : s.bad_status ? upstream_failure::bad_status
                                 : upstream_failure::broken;
      r.may_have_been_sent = body_sent;
      r.detail = s.detail;
      g.stats->observe_upstream(st.rec.v1_method, metrics::no_answer, std::chrono::steady_clock::now() - sent_at);
      if (g.feed) g.feed->upstream_error_seen(st, r, std::chrono::system_clock::now());
      return stream_outcome{failure_answer(st, r, cfg.upstream.timeout_ms)};
    };

    if (upload) {
      const auto length = declared_length(st.req.base());
      http::request_header<> request = upstream_head(g, st);  // named: see upstream_call.hpp on GCC 12
      if (!co_await up->write_head(std::move(request), length)) co_return fail(*up, false);
      for (;;) {
        auto n = co_await client.read_body(piece);
        if (!n) {
          // The client went away mid-upload: dropping the upstream connection leaves the
          // upstream with a short body, which it cannot take as a complete file.
          st.rec.note = "client_aborted_upload";
          co_return stream_outcome{std::nullopt, true, 499};
        }
        if (*n == 0) break;
        if (!co_await up->write_body(std::span<const char>(piece.data(), *n))) co_return fail(*up, true);
      }
      if (!length && !co_await up->finish_body()) co_return fail(*up, true);
    } else {
      http::request_header<> request = upstream_head(g, st);
      const std::optional<std::uint64_t> no_body{0};
      if (!co_await up->write_head(std::move(request), no_body)) co_return fail(*up, false);
    }

    auto head = co_await up->read_head();
    if (!head) co_return fail(*up, true);
    const int status = head->result_int();
    st.rec.upstream_status = status;
    g.stats->observe_upstream(st.rec.v1_method, status, std::chrono::steady_clock::now() - sent_at);

    if (status / 100 != 2 || upload) {
      auto body = co_await read_small_body(*up);
      if (!body) co_return fail(*up, true);
      upstream_result answer = as_result(*head, std::move(*body));
      if (status == 401 && !upload && attempt == 0 && g.tokens->invalidate(st.creds, st.token)) {
        if (auto again = co_await obtain_token(g, st)) co_return stream_outcome{std::move(again)};
        continue;
      }
      if (status / 100 != 2) {
        st.rec.note = "upstream_error";
        if (g.feed) g.feed->upstream_error_seen(st, answer, std::chrono::system_clock::now());
        v1_response error = upstream_error_answer(st, answer);
        if (upload && (status == 401 || status == 429))
          error = v1_error(status, "upstream did not accept the upload (" + std::to_string(status) +
                                       "); it was not processed: send it again" +
                                       (status == 429 ? " after Retry-After" : ""),
                           st.rec.request_id, st.error_body);
        co_return stream_outcome{std::move(error)};
      }
      // An upload's answer: translated like any V1 answer (an empty one too: the empty root).
      tr::translate_context ctx;
      ctx.compat = &cfg.compat;
      auto translated = tr::v2_response_to_v1(st.route->id, answer.response.body(), ctx);
      if (!translated) co_return stream_outcome{v1_error(502, translated.error().message, st.rec.request_id, st.error_body)};
      v1_response done = v1_document(v1_status_with_body(status), std::move(translated->body), st.rec.request_id);
      copy_header(answer.response, done, amzn_request_id_header);
      co_return stream_outcome{std::move(done)};
    }

    // A download: the head goes to the client now, then the bytes as they come.
    response_head out;
    out.result(head->result());
    out.version(11);
    out.set("X-Request-Id", st.rec.request_id);
    out.set(amzn_request_id_header, st.rec.request_id);  // upstream's replaces it below
    for (const char* name : {"Content-Type", "Content-Disposition", "x-amzn-RequestId"})
      if (auto it = head->find(name); it != head->end()) out.set(name, it->value());
    if (!co_await client.write_head(out, up->content_length())) co_return stream_outcome{std::nullopt, true, status};
    for (;;) {
      auto n = co_await up->read_body(piece);
      if (!n) {
        // Too late for an error answer: the client sees the connection close early.
        st.rec.note = "upstream_failed_mid_download";
        co_return stream_outcome{std::nullopt, true, 502};
      }
      if (*n == 0) break;
      if (!co_await client.write_body(std::span<const char>(piece.data(), *n))) {
        st.rec.note = "client_aborted_download";
        co_return stream_outcome{std::nullopt, true, 499};
      }
    }
    co_await client.finish();
    co_return stream_outcome{std::nullopt, true, status};
  }
}

}  // namespace

bool pipeline::wants_stream(const request_head& head) const {
  auto verb = to_verb(head.method());
  if (!verb) return false;
  const auto& matched = matched_route(*verb, head.target(), route_options(g_, false));
  return matched && matched->matched->unavailable.empty() &&
         (matched->matched->request_body == tr::body_kind::binary ||
          matched->matched->response_body == tr::body_kind::binary);
}

awaitable<void> pipeline::stream(const request_head& head, stream_exchange& exchange, connection_events& events) {
  const auto started = std::chrono::steady_clock::now();
  const gateway g = g_;
  const in_flight_guard counted(in_flight_);
  string_request req = header_only(head);
  access_record rec = start_record(req);
  rec.client = events.remote_address;
  request_state st{req, rec};
  st.error_body = g.cfg->compat.error_body;
  events.on_disconnect = [cancel = st.cancel] { cancel->cancel(); };
  stream_outcome outcome = co_await run_stream(g, st, exchange);
  events.on_disconnect = nullptr;
  int status = outcome.status;
  if (outcome.answer) {
    v1_response& answer = *outcome.answer;
    status = answer.result_int();
    const std::string body = std::move(answer.body());
    response_head out = answer.base();
    out.erase(http::field::content_length);
    if (co_await exchange.write_head(out, body.size()))
      if (co_await exchange.write_body(body)) co_await exchange.finish();
  }
  rec.bytes_in = exchange.body_bytes_read();
  rec.bytes_out = exchange.body_bytes_written();
  finish_record(g, st, status, started);
}

streaming_hooks pipeline::hooks() {
  streaming_hooks h;
  h.wants = [this](const request_head& head) { return wants_stream(head); };
  h.handle = [this](const request_head& head, stream_exchange& exchange, connection_events& events) {
    return stream(head, exchange, events);
  };
  return h;
}

}  // namespace pcbridge::proxy
