#include "proxy/admin_handler.hpp"

#include <string_view>

namespace pcbridge::proxy {

namespace {

constexpr std::string_view text_plain = "text/plain";
constexpr std::string_view prometheus_text = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view application_json = "application/json";

handler_result answer(const string_request& req, http::status status, std::string_view content_type,
                      std::string body) {
  string_response res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  if (req.method() == http::verb::head) {
    // The headers GET would send, without the body.
    res.content_length(body.size());
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return handler_result{std::move(res)};
}

}  // namespace

handler_result handle_admin(const string_request& req, const admin_sources& sources) {
  std::string_view path = req.target();
  path = path.substr(0, path.find('?'));

  enum class route { healthz, readyz, metrics, usage };
  route r;
  if (path == "/healthz") {
    r = route::healthz;
  } else if (path == "/readyz") {
    r = route::readyz;
  } else if (path == "/metrics") {
    r = route::metrics;
  } else if (path == "/admin/usage") {
    r = route::usage;
  } else {
    return answer(req, http::status::not_found, text_plain, "not found\n");
  }

  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    handler_result refused = answer(req, http::status::method_not_allowed, text_plain, "method not allowed\n");
    refused.response.set(http::field::allow, "GET, HEAD");
    return refused;
  }

  switch (r) {
    case route::healthz:
      return answer(req, http::status::ok, text_plain, "ok\n");
    case route::readyz: {
      readiness state = sources.ready ? sources.ready() : readiness{true, {}};
      if (state.ready) return answer(req, http::status::ok, text_plain, "ready\n");
      return answer(req, http::status::service_unavailable, text_plain, "not ready: " + state.reason + "\n");
    }
    case route::metrics:
      return answer(req, http::status::ok, prometheus_text, sources.stats.render());
    case route::usage:
      return answer(req, http::status::ok, application_json, sources.usage.render_json());
  }
  return answer(req, http::status::not_found, text_plain, "not found\n");
}

}  // namespace pcbridge::proxy
