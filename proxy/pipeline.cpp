#include "proxy/pipeline.hpp"


#include "proxy/basic_auth.hpp"
#include "proxy/pipeline_steps.hpp"
#include "proxy/request_state.hpp"
#include "proxy/schema_types.hpp"
#include "proxy/shared_call.hpp"
#include "proxy/upstream_call.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"
#include "translators/v2_target.hpp"

namespace pcbridge::proxy {

namespace tr = translators;
using steady = std::chrono::steady_clock;

namespace {

// 9. The answer, back in V1 shape.
v1_response answer_v1(request_state& st, const upstream_result& result, const tr::translate_context& ctx) {
  const std::string& rid = st.rec.request_id;
  v1_response answer;
  if (st.route->response_body == tr::body_kind::binary) {
    answer = v1_response{result.response.result(), 11};
    answer.set("X-Request-Id", rid);
    for (const char* name : {"Content-Type", "Content-Disposition"}) copy_header(result.response, answer, name);
    answer.body() = result.response.body();  // attachments normally stream (streaming.cpp); this is the fallback
  } else if (st.route->response_body == tr::body_kind::none) {
    answer = v1_response{result.response.result(), 11};
    answer.set("X-Request-Id", rid);
  } else {
    // An empty body too: the translator answers the method's empty root (mapping.md §4 rule 9),
    // as `pcbridge translate` does.
    auto translated = tr::v2_response_to_v1(st.route->id, result.response.body(), ctx);
    if (!translated) {
      st.rec.note = "untranslatable_answer";
      return v1_error(502, translated.error().message, rid, st.error_body);
    }
    st.typing_fallbacks += translated->typing_fallbacks;
    answer = v1_document(v1_status_with_body(result.response.result_int()), std::move(translated->body), rid);
  }
  answer.set(amzn_request_id_header, rid);  // upstream's replaces it when it sent a well-formed one
  copy_upstream_header(result.response, answer, amzn_request_id_header, {st.token, st.creds.client_secret, st.api_key, st.password});
  return answer;
}

bool is_native_v2_path(std::string_view target) { return target.rfind("/services/v2/", 0) == 0; }

// A migrated client calling V2 directly through the gateway: same Basic login, token swap
// and quota as its V1 calls; method, path, query and body pass through unchanged, and so
// does the answer.
awaitable<v1_response> run_native(const gateway& g, request_state& st) {
  st.native_v2 = true;
  st.rec.v1_method = "NativeV2";
  if (auto target = tr::check_native_v2_target(st.req.target()); !target)
    co_return *refuse(st, "bad_target", target.error().status, target.error().message);
  if (auto answer = authenticate_client(g, st)) co_return std::move(*answer);
  if (auto answer = co_await obtain_token(g, st)) co_return std::move(*answer);
  std::vector<std::pair<std::string, std::string>> body_headers;
  for (const char* name : {"Content-Type", "Content-Disposition"}) {
    std::string value = header_value(st.req, name);
    if (!value.empty()) body_headers.emplace_back(name, value);
  }
  const bool idempotent = st.req.method() == http::verb::get || st.req.method() == http::verb::head;
  const api_call call{st.req.method(), std::string(st.req.target()), std::move(st.req.body()), std::move(body_headers),
                      idempotent};
  api_outcome outcome = co_await call_api(g, st, call);
  if (outcome.refused) co_return std::move(*outcome.refused);
  if (outcome.result.failure != upstream_failure::none)
    co_return failure_answer(st, outcome.result, g.cfg->upstream.timeout_ms);
  http::response<http::string_body>& up = outcome.result.response;
  v1_response answer{up.result(), 11};
  answer.set("X-Request-Id", st.rec.request_id);
  const std::initializer_list<std::string_view> secrets = {st.token, st.creds.client_secret, st.api_key, st.password};
  for (const char* name : {"Content-Type", "Content-Disposition", "Retry-After", "x-amzn-RequestId"})
    copy_upstream_header(up, answer, name, secrets);
  // An error body is upstream's text about this call: it may echo the token or key.
  answer.body() = up.result_int() / 100 == 2 ? std::move(up.body()) : scrub_secrets(std::move(up.body()), secrets);
  co_return answer;
}

awaitable<v1_response> run(const gateway& g, request_state& st) {
  const config::config& cfg = *g.cfg;
  if (cfg.native_v2 && is_native_v2_path(st.req.target())) co_return co_await run_native(g, st);

  if (auto answer = match_route(g, st, false)) co_return std::move(*answer);
  if (auto answer = authenticate_client(g, st)) co_return std::move(*answer);
  if (st.who.admin)  // admins write non-draft data: same route, another V2 path
    if (auto answer = match_route(g, st, true)) co_return std::move(*answer);
  log_route(g, st);

  // 5. The request body is checked and translated before anything goes upstream.
  const bool xml_body = st.route->request_body == tr::body_kind::xml &&
                        !(st.req.body().empty() && st.route->id == tr::method_id::Generic);
  std::optional<tr::v1_request> parsed;  // the XML, parsed once for every translation below
  std::optional<tr::translated> request;
  std::shared_ptr<const tr::field_type_map> checked_with;  // the types of that first translation
  if (xml_body) {
    // Translated before any token or schema fetch, so bad XML costs none: typed when the
    // form's schema is cached already (then this is the only translation), else without
    // types, and again below if the schema gives some.
    checked_with = cached_field_types(g, st);
    tr::translate_context first;
    first.types = checked_with.get();
    first.compat = &cfg.compat;  // request-side compat keys (ByNumber's JSON name, ...) apply here too
    auto read = tr::read_v1_request(st.route->id, st.req.body(), first);
    if (!read) co_return *refuse(st, "bad_request_body", read.error().status, read.error().message);
    auto check = tr::v1_request_to_v2(*read, first);
    if (!check) co_return *refuse(st, "bad_request_body", check.error().status, check.error().message);
    request = std::move(*check);
    parsed.emplace(std::move(*read));
  }

  if (auto answer = co_await obtain_token(g, st)) co_return std::move(*answer);

  const std::shared_ptr<const tr::field_type_map> types = co_await field_types_for(g, st);
  tr::translate_context ctx;
  ctx.types = types.get();
  ctx.compat = &cfg.compat;

  std::string body;
  std::vector<std::pair<std::string, std::string>> body_headers;
  if (request) {
    // The body goes out translated with `types`: again only when the first translation had others.
    if (types != checked_with) {
      auto typed = tr::v1_request_to_v2(*parsed, ctx);
      if (!typed) co_return *refuse(st, "bad_request_body", typed.error().status, typed.error().message);
      request = std::move(*typed);
    }
    st.typing_fallbacks += request->typing_fallbacks;
    body = std::move(request->body);
    body_headers.emplace_back("Content-Type", "application/json");
    // 7. Partial multi-instance writes: read the current values first (one more operation).
    if (request->needs_current_data) {
      // The same data path without the write's query (run_followup_actions means nothing to a GET).
      const api_call read_current{http::verb::get, st.v2_target.substr(0, st.v2_target.find('?')), {}, {}, true};
      api_outcome current = co_await call_api(g, st, read_current);
      if (current.refused) co_return std::move(*current.refused);
      if (current.result.failure != upstream_failure::none)
        co_return failure_answer(st, current.result, cfg.upstream.timeout_ms);
      if (current.result.response.result_int() / 100 != 2) co_return upstream_error_answer(st, current.result);
      // The first step's grouped fields are patched: the XML is not translated a third time.
      auto patched = tr::v1_request_to_v2_with_current(*request, current.result.response.body());
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
  const auto ttl = st.route->metadata ? std::chrono::seconds(cfg.upstream.metadata_cache_ttl_s)
                                                    : std::chrono::seconds(0);
  shared_outcome outcome = co_await call_shared(g, st, the_call, ttl, cache_name::metadata);
  if (outcome.refused) {
    st.rec.note = "quota";
    co_return std::move(*outcome.refused);
  }
  const upstream_result& result = *outcome.result;
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

awaitable<handler_result> pipeline::handle(string_request& req, connection_events& events) {
  const auto started = steady::now();
  const gateway g = g_;  // this request's snapshot: a reload does not change it midway
  const in_flight_guard counted(in_flight_);
  access_record rec = start_record(req);
  rec.client = std::move(events.remote_address);
  request_state st{req, rec};
  st.error_body = g.cfg->compat.error_body;
  events.on_disconnect = [cancel = st.cancel] { cancel->cancel(); };
  v1_response answer = co_await run(g, st);
  events.on_disconnect = nullptr;
  // Every answer carries it (mapping.md §7); the steps set upstream's where there was one.
  if (answer.find(amzn_request_id_header) == answer.end()) answer.set(amzn_request_id_header, rec.request_id);
  answer.version(req.version());
  rec.bytes_out = answer.body().size();
  finish_record(g, st, answer.result_int(), started);
  co_return handler_result{std::move(answer)};
}

// The steps a request head alone decides, before its body is read (http_server.hpp
// head_checker): the same functions, in the same order, as run() and run_stream(), which
// do them again once the body is there; here they only refuse.
std::optional<string_response> pipeline::check_head(const request_head& head) const {
  const auto started = steady::now();
  const gateway g = g_;
  string_request req;
  req.base() = head;
  access_record rec = start_record(req);
  request_state st{req, rec};
  st.error_body = g.cfg->compat.error_body;
  step_result answer;
  if (g.cfg->native_v2 && is_native_v2_path(head.target())) {
    st.native_v2 = true;
    st.rec.v1_method = "NativeV2";
    answer = authenticate_client(g, st);
  } else {
    answer = match_route(g, st, false);
    if (!answer) answer = authenticate_client(g, st);
    if (!answer && st.who.admin) answer = match_route(g, st, true);
  }
  if (!answer) return std::nullopt;
  answer->version(head.version());
  finish_record(g, st, answer->result_int(), started);
  return answer;
}

}  // namespace pcbridge::proxy
