#include "proxy/pipeline_steps.hpp"

#include <random>

#include "proxy/basic_auth.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {

namespace tr = translators;

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

namespace {

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

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

void copy_header(const http::response_header<>& from, v1_response& to, std::string_view name) {
  copy_upstream_header(from, to, name, {});  // shape-checked; callers that know secrets pass them there
}

step_result refuse(request_state& st, std::string note, int status, const std::string& message) {
  st.rec.note = std::move(note);
  return error_for(st, status, message);
}

namespace {

// A method refused by its route (reject, unavailable) is answered before sign-in: the 501 is the
// same with or without credentials. The usage report still names a configured client whose
// Basic credentials are valid, so a migration lead can find who still calls a switched-off
// method (README, staged cutover). A pass-through pair is unproven until a token fetch: "-".
void name_known_caller(const gateway& g, request_state& st) {
  const auto creds = parse_basic_authorization(header_value(st.req, "Authorization"));
  if (!creds) return;
  if (const auto who = authenticate(*g.cfg, *creds); who && !who->passthrough) st.rec.user = who->user;
}

}  // namespace

tr::match_options route_options(const gateway& g, bool admin) {
  tr::match_options options;
  options.default_offset = g.cfg->upstream.changed_since_offset;
  options.admin = admin;
  return options;
}

const tr::outcome<tr::route_match>& matched_route(tr::http_verb verb, std::string_view target,
                                                const tr::match_options& options) {
  // match_v1 is a pure function of these inputs, so the last answer serves a repeat.
  struct last_match {
    tr::http_verb verb = tr::http_verb::other;
    std::string target;
    tr::match_options options;
    std::optional<tr::outcome<tr::route_match>> result;
  };
  thread_local last_match last;
  if (!last.result || last.verb != verb || last.target != target || last.options != options) {
    last.result.emplace(tr::match_v1(verb, target, options));
    last.verb = verb;
    last.target.assign(target);
    last.options = options;
  }
  return *last.result;
}

// 1-2. Route match (404/405/400 before anything else), availability and cutover mode.
step_result match_route(const gateway& g, request_state& st, bool admin) {
  auto verb = to_verb(st.req.method());
  if (!verb) return refuse(st, "route", 405, "HTTP method not supported");
  const auto& matched = matched_route(*verb, st.req.target(), route_options(g, admin));
  if (!matched) return refuse(st, "route", matched.error().status, matched.error().message);
  st.route = matched->matched;
  st.v2_target = matched->v2_target;
  st.params = matched->params;
  const std::string name(tr::method_name(st.route->id));
  st.rec.v1_method = name;
  if (!st.route->unavailable.empty()) {
    name_known_caller(g, st);
    return refuse(st, "unavailable", 501, std::string(st.route->unavailable));
  }
  if (auto mode = g.cfg->routes.find(name); mode != g.cfg->routes.end() && mode->second == config::route_mode::reject) {
    name_known_caller(g, st);
    return refuse(st, "rejected", 501,
                  "V1 method " + name + " is switched off on this gateway (routes." + name +
                      ".mode: reject); call the V2 API instead");
  }
  return std::nullopt;
}

void log_route(const gateway& g, const request_state& st) {
  if (!g.log->debug_enabled()) return;
  g.log->debug("rid=" + st.rec.request_id + " route " + st.rec.http_method + " " + st.rec.path + " -> " +
               st.rec.v1_method + " -> " + st.v2_target + (st.who.admin ? " (admin)" : ""));
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
  token_lookup token = co_await g.tokens->get(
      st.creds, st.who.passthrough ? token_cache::trust::unproven : token_cache::trust::configured);
  if (!token.ok) {
    if (st.who.passthrough) st.rec.user = "-";  // an unproven pair is nobody: not a user in the usage report
    if (token.credentials_rejected && st.who.passthrough)
      co_return refuse(st, "bad_credentials", 401, "invalid user name or password");
    co_return refuse(st, "no_token", 503, "no access token could be obtained for this client: " + token.error);
  }
  st.token = std::move(token.access_token);
  co_return std::nullopt;
}

access_record start_record(const string_request& req) {
  access_record rec;
  std::string client_id = header_value(req, "X-Request-Id");
  rec.request_id = is_safe_request_id(client_id) ? client_id : new_request_id();
  rec.http_method = std::string(req.method_string());
  auto target = req.target();
  rec.path = std::string(target.substr(0, target.find('?')));
  rec.v1_method = "-";
  rec.user = "-";
  rec.user_agent = header_value(req, "User-Agent");
  rec.bytes_in = req.body().size();
  return rec;
}

void finish_record(const gateway& g, request_state& st, int status, std::chrono::steady_clock::time_point started) {
  access_record& rec = st.rec;
  rec.status = status;
  const auto took = std::chrono::steady_clock::now() - started;
  rec.duration = std::chrono::duration_cast<std::chrono::milliseconds>(took);
  g.log->access(rec);
  g.stats->observe_request(rec.v1_method, rec.status, took);
  g.stats->count_value_typing_fallbacks(st.typing_fallbacks);
  g.usage->record(rec.user, rec.v1_method, rec.status, std::chrono::system_clock::now());
}

}  // namespace pcbridge::proxy
