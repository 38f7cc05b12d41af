#include "proxy/pipeline.hpp"

#include <random>

#include "proxy/basic_auth.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"

namespace pcbridge::proxy {

namespace tr = translators;
using steady = std::chrono::steady_clock;

namespace {

// Everything one request accumulates on its way through the steps.
struct request_state {
  string_request& req;
  access_record& rec;
  const tr::route* route = nullptr;
  std::string v2_target;
  identity who;
  token_credentials creds;
  std::string api_key;
  std::string token;
  std::string password;  // the Basic password, kept only to scrub it from messages
};

std::optional<tr::http_verb> to_verb(http::verb v) {
  switch (v) {
    case http::verb::get: return tr::http_verb::get;
    case http::verb::post: return tr::http_verb::post;
    case http::verb::put: return tr::http_verb::put;
    case http::verb::patch: return tr::http_verb::patch;
    case http::verb::delete_: return tr::http_verb::del;
    case http::verb::head: return tr::http_verb::head;
    case http::verb::options: return tr::http_verb::options;
    default: return std::nullopt;
  }
}

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string new_request_id() {
  static std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id(16, '0');
  auto bits = rng();
  for (auto& c : id) {
    c = hex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

std::string header_value(const string_request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

// Headers every upstream API call carries. The inbound Authorization (Basic) and
// hop-by-hop headers are never copied; MFA headers pass through unchanged.
std::vector<std::pair<std::string, std::string>> upstream_headers(const request_state& st) {
  std::vector<std::pair<std::string, std::string>> h = {
      {"Authorization", "Bearer " + st.token},
      {"X-ApiKey", st.api_key},
      {"Accept", "application/json"},
      {"X-Request-Id", st.rec.request_id},
  };
  for (const char* mfa : {"Mfa-One-Time-Password", "Mfa-Session-Token"}) {
    std::string value = header_value(st.req, mfa);
    if (!value.empty()) h.emplace_back(mfa, value);
  }
  return h;
}

std::string write_outcome_note(const request_state& st) {
  return " The outcome of this " + std::string(tr::method_name(st.route->id)) +
         " write is unknown: it may have been applied upstream. pcbridge did not retry it; check the "
         "project before sending it again (request id " + st.rec.request_id + ").";
}

v1_response failure_answer(const request_state& st, const upstream_result& r, int timeout_ms) {
  const bool unknown_write = !st.route->idempotent && r.may_have_been_sent;
  switch (r.failure) {
    case upstream_failure::timeout:
      return v1_error(504, "upstream did not answer within " + std::to_string(timeout_ms) + " ms." +
                               (unknown_write ? write_outcome_note(st) : ""),
                      st.rec.request_id);
    case upstream_failure::too_large:
      return v1_error(502, "upstream answer is larger than upstream.max_response_bytes", st.rec.request_id);
    case upstream_failure::connect:
      return v1_error(502, "upstream unreachable: " + r.detail, st.rec.request_id);
    case upstream_failure::broken:
    case upstream_failure::none:
      break;
  }
  return v1_error(502, "upstream connection failed: " + r.detail + "." + (unknown_write ? write_outcome_note(st) : ""),
                  st.rec.request_id);
}

}  // namespace

namespace {

// One upstream API call with the client's token. A 401 means the token was rejected
// before anything was processed, so the call is repeated once with a fresh token, even
// for writes. Nothing else is retried here.
awaitable<upstream_result> call_upstream(const gateway& g, request_state& st, http::verb method,
                                         const std::string& v2_target, const std::string& body,
                                         std::vector<std::pair<std::string, std::string>> extra_headers,
                                         bool idempotent) {
  for (int attempt = 0;; ++attempt) {
    upstream_request up;
    up.method = method;
    up.target = g.api.path_prefix + v2_target;
    up.headers = upstream_headers(st);
    up.headers.insert(up.headers.end(), extra_headers.begin(), extra_headers.end());
    up.body = body;
    up.idempotent = idempotent;
    up.timeout = std::chrono::milliseconds(g.cfg->upstream.timeout_ms);
    ++st.rec.upstream_calls;
    upstream_result res = co_await g.upstream->send(g.api, std::move(up));
    if (res.failure != upstream_failure::none) co_return res;
    st.rec.upstream_status = res.response.result_int();
    if (res.response.result_int() != 401 || attempt > 0) co_return res;
    g.tokens->invalidate(st.creds, st.token);
    token_lookup fresh = co_await g.tokens->get(st.creds);
    if (!fresh.ok) co_return res;
    st.token = std::move(fresh.access_token);
  }
}

// A non-2xx upstream answer, in V1 error shape with upstream's status and message.
v1_response upstream_error_answer(const request_state& st, const upstream_result& r) {
  std::string message = upstream_error_message(r.response.body());
  if (message.empty()) message = std::string(r.response.reason());
  message = scrub_secrets("upstream: " + message,
                          {st.token, st.creds.client_secret, st.api_key, st.password});
  v1_response res = v1_error(r.response.result_int(), message, st.rec.request_id);
  if (auto it = r.response.find(http::field::retry_after); it != r.response.end())
    res.set(http::field::retry_after, it->value());
  return res;
}

void copy_header(const http::response<http::string_body>& from, v1_response& to, std::string_view name) {
  if (auto it = from.find(name); it != from.end()) to.set(name, it->value());
}

awaitable<v1_response> run(const gateway& g, request_state& st) {
  const config::config& cfg = *g.cfg;
  const std::string& rid = st.rec.request_id;

  // 1. Route: 404/405/400 before anything else happens.
  auto verb = to_verb(st.req.method());
  if (!verb) co_return v1_error(405, "HTTP method not supported", rid);
  tr::match_options options;
  options.default_offset = cfg.upstream.changed_since_offset;
  auto matched = tr::match_v1(*verb, st.req.target(), options);
  if (!matched) {
    st.rec.note = "route";
    co_return v1_error(matched.error().status, matched.error().message, rid);
  }
  st.route = matched->matched;
  const std::string method_name(tr::method_name(st.route->id));
  st.rec.v1_method = method_name;

  // 2. Availability: no V2 equivalent, or switched off for a staged cutover.
  if (!st.route->unavailable.empty()) co_return v1_error(501, std::string(st.route->unavailable), rid);
  if (auto mode = cfg.routes.find(method_name); mode != cfg.routes.end() && mode->second == config::route_mode::reject)
    co_return v1_error(501, "V1 method " + method_name + " is switched off on this gateway (routes." + method_name +
                                ".mode: reject); call the V2 API instead",
                       rid);

  // 3. Basic auth against the configured clients; nothing goes upstream without it.
  auto creds = parse_basic_authorization(header_value(st.req, "Authorization"));
  std::optional<identity> who = creds ? authenticate(cfg, *creds) : std::nullopt;
  if (!who) {
    st.rec.note = creds ? "bad_credentials" : "no_credentials";
    co_return v1_error(401, creds ? "invalid user name or password" : "HTTP Basic authentication required", rid);
  }
  st.password = creds->password;
  st.who = std::move(*who);
  st.rec.user = st.who.user;
  st.creds = {st.who.client_id, st.who.client_secret};
  if (st.who.admin) {
    options.admin = true;
    matched = tr::match_v1(*verb, st.req.target(), options);
    if (!matched) co_return v1_error(matched.error().status, matched.error().message, rid);
  }
  st.v2_target = matched->v2_target;

  // 4. API key: the configured one, else the one the legacy client sent.
  st.api_key = st.who.api_key ? *st.who.api_key : header_value(st.req, "X-ApiKey");
  if (st.api_key.empty()) {
    st.rec.note = "no_api_key";
    co_return v1_error(401, "X-ApiKey header required", rid);
  }

  // 5. Request body: translated fully before anything is sent upstream.
  std::string body;
  std::vector<std::pair<std::string, std::string>> body_headers;
  bool needs_current_data = false;
  const tr::translate_context ctx{};
  if (st.route->request_body == tr::body_kind::xml && !(st.req.body().empty() && st.route->id == tr::method_id::Generic)) {
    auto translated = tr::v1_request_to_v2(st.route->id, st.req.body(), ctx);
    if (!translated) {
      st.rec.note = "bad_request_body";
      co_return v1_error(translated.error().status, translated.error().message, rid);
    }
    body = std::move(translated->body);
    needs_current_data = translated->needs_current_data;
    body_headers.emplace_back("Content-Type", "application/json");
  } else if (st.route->request_body == tr::body_kind::binary) {
    body = std::move(st.req.body());
    for (const char* name : {"Content-Type", "Content-Disposition"}) {
      std::string value = header_value(st.req, name);
      if (!value.empty()) body_headers.emplace_back(name, value);
    }
  }

  // 6. Token for this client (cached; one fetch in flight; never an expired one).
  token_lookup token = co_await g.tokens->get(st.creds);
  if (!token.ok) {
    st.rec.note = "no_token";
    if (token.credentials_rejected && cfg.basic_as_client_credentials.enabled && st.who.client_id == st.who.user)
      co_return v1_error(401, "invalid user name or password", rid);
    co_return v1_error(503, "no access token could be obtained for this client: " + token.error, rid);
  }
  st.token = std::move(token.access_token);

  // 7. Partial multi-instance writes: read the current values first (one more operation).
  if (needs_current_data) {
    upstream_result current = co_await call_upstream(g, st, http::verb::get, st.v2_target, {}, {}, true);
    if (current.failure != upstream_failure::none) co_return failure_answer(st, current, cfg.upstream.timeout_ms);
    if (current.response.result_int() / 100 != 2) co_return upstream_error_answer(st, current);
    auto patched = tr::v1_request_to_v2_with_current(st.route->id, st.req.body(), current.response.body(), ctx);
    if (!patched) co_return v1_error(patched.error().status, patched.error().message, rid);
    body = std::move(patched->body);
  }

  // 8. The call itself.
  const auto http_method = st.req.method();
  upstream_result result =
      co_await call_upstream(g, st, http_method, st.v2_target, body, std::move(body_headers), st.route->idempotent);
  if (result.failure != upstream_failure::none) {
    st.rec.note = "upstream_failure";
    co_return failure_answer(st, result, cfg.upstream.timeout_ms);
  }
  if (result.response.result_int() / 100 != 2) {
    st.rec.note = "upstream_error";
    v1_response answer = upstream_error_answer(st, result);
    copy_header(result.response, answer, "x-amzn-RequestId");
    co_return answer;
  }

  // 9. The answer, back in V1 shape.
  v1_response answer;
  if (st.route->response_body == tr::body_kind::binary) {
    answer = v1_response{result.response.result(), 11};
    answer.set("X-Request-Id", rid);
    for (const char* name : {"Content-Type", "Content-Disposition"}) copy_header(result.response, answer, name);
    answer.body() = std::move(result.response.body());
  } else if (st.route->response_body == tr::body_kind::none || result.response.body().empty()) {
    answer = v1_response{result.response.result(), 11};
    answer.set("X-Request-Id", rid);
  } else {
    auto translated = tr::v2_response_to_v1(st.route->id, result.response.body(), ctx);
    if (!translated) {
      st.rec.note = "untranslatable_answer";
      co_return v1_error(502, translated.error().message, rid);
    }
    answer = v1_document(result.response.result_int(), std::move(translated->body), rid);
  }
  copy_header(result.response, answer, "x-amzn-RequestId");
  co_return answer;
}

}  // namespace

awaitable<handler_result> pipeline::handle(string_request& req) {
  const auto started = steady::now();
  access_record rec;
  std::string client_id = header_value(req, "X-Request-Id");
  rec.request_id = is_safe_request_id(client_id) ? client_id : new_request_id();
  rec.http_method = std::string(req.method_string());
  auto target = req.target();
  rec.path = std::string(target.substr(0, target.find('?')));
  rec.v1_method = "-";
  rec.user = "-";

  request_state st{req, rec};
  v1_response answer = co_await run(g_, st);
  answer.version(req.version());

  rec.status = answer.result_int();
  rec.duration = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started);
  g_.log->access(rec);
  co_return handler_result{std::move(answer)};
}

}  // namespace pcbridge::proxy
