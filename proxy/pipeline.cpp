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

// Steps return an answer to send now, or nothing to go on.
using step_result = std::optional<v1_response>;

step_result refuse(request_state& st, std::string note, int status, const std::string& message) {
  st.rec.note = std::move(note);
  return v1_error(status, message, st.rec.request_id);
}

// 1-2. Route match (404/405/400 before anything else), availability and cutover mode.
step_result match_route(const gateway& g, request_state& st, bool admin) {
  auto verb = to_verb(st.req.method());
  if (!verb) return refuse(st, "route", 405, "HTTP method not supported");
  tr::match_options options;
  options.default_offset = g.cfg->upstream.changed_since_offset;
  options.admin = admin;
  auto matched = tr::match_v1(*verb, st.req.target(), options);
  if (!matched) return refuse(st, "route", matched.error().status, matched.error().message);
  st.route = matched->matched;
  st.v2_target = matched->v2_target;
  st.params = std::move(matched->params);
  const std::string name(tr::method_name(st.route->id));
  st.rec.v1_method = name;
  if (!st.route->unavailable.empty()) return refuse(st, "unavailable", 501, std::string(st.route->unavailable));
  if (auto mode = g.cfg->routes.find(name); mode != g.cfg->routes.end() && mode->second == config::route_mode::reject)
    return refuse(st, "rejected", 501,
                  "V1 method " + name + " is switched off on this gateway (routes." + name +
                      ".mode: reject); call the V2 API instead");
  return std::nullopt;
}

// 3-4. Basic credentials against the configured clients, then the API key to use.
step_result authenticate_client(const gateway& g, request_state& st) {
  auto creds = parse_basic_authorization(header_value(st.req, "Authorization"));
  std::optional<identity> who = creds ? authenticate(*g.cfg, *creds) : std::nullopt;
  if (!who)
    return refuse(st, creds ? "bad_credentials" : "no_credentials", 401,
                  creds ? "invalid user name or password" : "HTTP Basic authentication required");
  st.password = creds->password;
  st.who = std::move(*who);
  st.rec.user = st.who.user;
  st.creds = {st.who.client_id, st.who.client_secret};
  st.api_key = st.who.api_key ? *st.who.api_key : header_value(st.req, "X-ApiKey");
  if (st.api_key.empty()) return refuse(st, "no_api_key", 401, "X-ApiKey header required");
  return std::nullopt;
}

// 6. A token for this client (cached; one fetch in flight; never an expired one).
awaitable<step_result> obtain_token(const gateway& g, request_state& st) {
  token_lookup token = co_await g.tokens->get(st.creds);
  if (!token.ok) {
    const bool own_credentials = g.cfg->basic_as_client_credentials.enabled && st.who.client_id == st.who.user;
    if (token.credentials_rejected && own_credentials)
      co_return refuse(st, "bad_credentials", 401, "invalid user name or password");
    co_return refuse(st, "no_token", 503, "no access token could be obtained for this client: " + token.error);
  }
  st.token = std::move(token.access_token);
  co_return std::nullopt;
}

// Identical GETs of one V2 identity share answers (answer_cache.hpp).
std::string cache_key(const request_state& st, const std::string& v2_target) {
  std::string key = st.creds.client_id;
  for (const std::string& part : {st.api_key, v2_target, header_value(st.req, "Mfa-One-Time-Password"),
                                  header_value(st.req, "Mfa-Session-Token")}) {
    key.push_back('\0');
    key += part;
  }
  return key;
}

bool is_metadata_method(tr::method_id id) {
  return id == tr::method_id::GetPrograms || id == tr::method_id::GetForms || id == tr::method_id::GetFormSchema ||
         id == tr::method_id::GetStatusList;
}

// A GET through the answer cache; other calls go straight to call_api.
awaitable<api_outcome> call_shared(const gateway& g, request_state& st, const api_call& call,
                                   std::chrono::seconds ttl) {
  if (call.method != http::verb::get) co_return co_await call_api(g, st, call);
  const bool bypass = header_value(st.req, "Cache-Control").find("no-cache") != std::string::npos;
  std::optional<v1_response> refused;
  answer_cache::fetch_function fetch = [&]() -> awaitable<std::shared_ptr<const upstream_result>> {
    api_outcome own = co_await call_api(g, st, call);
    if (own.refused) {
      refused = std::move(own.refused);
      co_return nullptr;
    }
    co_return std::make_shared<const upstream_result>(std::move(own.result));
  };
  cached_answer shared = co_await g.cache->get(cache_key(st, call.v2_target), ttl, bypass, fetch);
  if (g.on_cache) g.on_cache(shared.outcome);
  if (!shared.result) co_return api_outcome{{}, std::move(refused)};
  api_outcome out;
  out.result = *shared.result;  // a copy: the shared answer stays intact for the others
  co_return out;
}

// Date/Boolean types of the form's fields, from its schema (cached; one operation per
// fetch). Without it the translators fall back to exact patterns, counted.
awaitable<std::shared_ptr<const tr::field_type_map>> form_types(const gateway& g, request_state& st) {
  std::string program, form;
  for (const auto& [name, value] : st.params) {
    if (name == "ProgramId") program = value;
    if (name == "FormId") form = value;
  }
  if (program.empty() || form.empty()) co_return nullptr;
  const api_call schema_call{http::verb::get, "/services/v2/Programs/" + program + "/Forms/" + form + "/Schema", {}, {}, true};
  api_outcome schema =
      co_await call_shared(g, st, schema_call, std::chrono::seconds(g.cfg->upstream.schema_cache_ttl_s));
  if (schema.refused || schema.result.failure != upstream_failure::none ||
      schema.result.response.result_int() / 100 != 2)
    co_return nullptr;
  auto types = tr::field_types_from_schema(schema.result.response.body());
  if (!types) co_return nullptr;
  co_return std::make_shared<const tr::field_type_map>(std::move(*types));
}

bool uses_form_types(tr::method_id id) {
  return id == tr::method_id::GetProjectData || id == tr::method_id::SetProjectData;
}

// 9. The answer, back in V1 shape.
v1_response answer_v1(request_state& st, upstream_result& result, const tr::translate_context& ctx) {
  const std::string& rid = st.rec.request_id;
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
      return v1_error(502, translated.error().message, rid);
    }
    st.typing_fallbacks += translated->typing_fallbacks;
    answer = v1_document(result.response.result_int(), std::move(translated->body), rid);
  }
  copy_header(result.response, answer, "x-amzn-RequestId");
  return answer;
}

awaitable<v1_response> run(const gateway& g, request_state& st) {
  const config::config& cfg = *g.cfg;

  if (auto answer = match_route(g, st, false)) co_return std::move(*answer);
  if (auto answer = authenticate_client(g, st)) co_return std::move(*answer);
  if (st.who.admin)  // admins write non-draft data: same route, another V2 path
    if (auto answer = match_route(g, st, true)) co_return std::move(*answer);

  // 5. The request body is checked and translated before anything goes upstream.
  const bool xml_body = st.route->request_body == tr::body_kind::xml &&
                        !(st.req.body().empty() && st.route->id == tr::method_id::Generic);
  if (xml_body) {
    // Checked once without field types so bad XML costs no token or schema fetch; translated
    // for real below, once the form's types are known.
    auto check = tr::v1_request_to_v2(st.route->id, st.req.body(), tr::translate_context{});
    if (!check) co_return *refuse(st, "bad_request_body", check.error().status, check.error().message);
  }

  if (auto answer = co_await obtain_token(g, st)) co_return std::move(*answer);

  std::shared_ptr<const tr::field_type_map> types;
  if (uses_form_types(st.route->id)) types = co_await form_types(g, st);
  tr::translate_context ctx;
  ctx.types = types.get();

  std::string body;
  std::vector<std::pair<std::string, std::string>> body_headers;
  if (xml_body) {
    auto translated = tr::v1_request_to_v2(st.route->id, st.req.body(), ctx);
    if (!translated) co_return *refuse(st, "bad_request_body", translated.error().status, translated.error().message);
    st.typing_fallbacks += translated->typing_fallbacks;
    body = std::move(translated->body);
    body_headers.emplace_back("Content-Type", "application/json");
    // 7. Partial multi-instance writes: read the current values first (one more operation).
    if (translated->needs_current_data) {
      const api_call read_current{http::verb::get, st.v2_target, {}, {}, true};
      api_outcome current = co_await call_api(g, st, read_current);
      if (current.refused) co_return std::move(*current.refused);
      if (current.result.failure != upstream_failure::none)
        co_return failure_answer(st, current.result, cfg.upstream.timeout_ms);
      if (current.result.response.result_int() / 100 != 2) co_return upstream_error_answer(st, current.result);
      auto patched =
          tr::v1_request_to_v2_with_current(st.route->id, st.req.body(), current.result.response.body(), ctx);
      if (!patched) co_return *refuse(st, "bad_request_body", patched.error().status, patched.error().message);
      body = std::move(patched->body);
    }
  } else if (st.route->request_body == tr::body_kind::binary) {
    body = std::move(st.req.body());
    for (const char* name : {"Content-Type", "Content-Disposition"}) {
      std::string value = header_value(st.req, name);
      if (!value.empty()) body_headers.emplace_back(name, value);
    }
  }

  // 8. The call itself.
  const api_call the_call{st.req.method(), st.v2_target, std::move(body), std::move(body_headers),
                          st.route->idempotent};
  const auto ttl = is_metadata_method(st.route->id) ? std::chrono::seconds(cfg.upstream.metadata_cache_ttl_s)
                                                    : std::chrono::seconds(0);
  api_outcome outcome = co_await call_shared(g, st, the_call, ttl);
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
  co_return answer_v1(st, result, ctx);
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
