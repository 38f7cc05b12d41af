#include "proxy/pipeline.hpp"

#include <random>

#include "proxy/basic_auth.hpp"
#include "proxy/request_state.hpp"
#include "proxy/upstream_call.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"

namespace pcbridge::proxy {

namespace tr = translators;
using steady = std::chrono::steady_clock;

namespace {

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
    const api_call read_current{http::verb::get, st.v2_target, {}, {}, true};
    api_outcome current = co_await call_api(g, st, read_current);
    if (current.refused) co_return std::move(*current.refused);
    if (current.result.failure != upstream_failure::none)
      co_return failure_answer(st, current.result, cfg.upstream.timeout_ms);
    if (current.result.response.result_int() / 100 != 2) co_return upstream_error_answer(st, current.result);
    auto patched =
        tr::v1_request_to_v2_with_current(st.route->id, st.req.body(), current.result.response.body(), ctx);
    if (!patched) co_return v1_error(patched.error().status, patched.error().message, rid);
    body = std::move(patched->body);
  }

  // 8. The call itself.
  const api_call the_call{st.req.method(), st.v2_target, std::move(body), std::move(body_headers),
                          st.route->idempotent};
  api_outcome outcome = co_await call_api(g, st, the_call);
  if (outcome.refused) {
    st.rec.note = "quota";
    co_return std::move(*outcome.refused);
  }
  upstream_result& result = outcome.result;
  if (result.failure != upstream_failure::none) {
    st.rec.note = "upstream_failure";
    co_return failure_answer(st, result, cfg.upstream.timeout_ms);
  }
  if (result.response.result_int() / 100 != 2) {
    st.rec.note = "upstream_error";
    co_return upstream_error_answer(st, result);
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
