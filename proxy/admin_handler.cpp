#include "proxy/admin_handler.hpp"

#include <string_view>

#include "proxy/admin_auth.hpp"
#include "proxy/admin_dashboard.hpp"

namespace pcbridge::proxy {

namespace {

constexpr std::string_view text_plain = "text/plain";
constexpr std::string_view prometheus_text = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view application_json = "application/json";
constexpr std::string_view text_csv = "text/csv; charset=utf-8";

// "format=csv" among the query's parameters.
bool wants_csv(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    if (query.substr(0, amp) == "format=csv") return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

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

  enum class route { healthz, readyz, metrics, usage, status, page, unknown };
  route r = route::unknown;
  if (path == "/healthz") {
    r = route::healthz;
  } else if (path == "/readyz") {
    r = route::readyz;
  } else if (path == "/metrics") {
    r = route::metrics;
  } else if (path == "/admin/usage") {
    r = route::usage;
  } else if (path == "/admin/status") {
    r = route::status;
  }
  const dashboard_asset* page = find_dashboard_asset(path);
  if (page) r = route::page;

  // The probes stay open (kubelet, load balancers). Everything else, unknown paths
  // included, needs the token when one is set.
  // The dashboard's static files hold no data; the page asks for the token (admin_dashboard.hpp).
  const bool probe = r == route::healthz || r == route::readyz || r == route::page;
  if (!probe && sources.access.token_sha256 && !bearer_matches(req[http::field::authorization], sources.access)) {
    handler_result refused = answer(req, http::status::unauthorized, text_plain,
                                    "unauthorized: send Authorization: Bearer <admin token>\n");
    refused.response.set(http::field::www_authenticate, "Bearer realm=\"pcbridge admin\"");
    return refused;
  }
  if (r == route::unknown) return answer(req, http::status::not_found, text_plain, "not found\n");
  const bool names_clients = r == route::usage || r == route::status;
  if (names_clients && !sources.access.token_sha256 && !sources.access.loopback) {
    return answer(req, http::status::forbidden, text_plain,
                  "forbidden: this admin listener is not on loopback and has no admin.token, so routes that "
                  "name clients are refused; set admin.token_file or admin.token_env\n");
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
      if (wants_csv(req.target())) return answer(req, http::status::ok, text_csv, sources.usage.render_csv());
      return answer(req, http::status::ok, application_json, sources.usage.render_json());
    case route::status:
      return answer(req, http::status::ok, application_json, sources.status ? sources.status() : "{}");
    case route::page: {
      handler_result served = answer(req, http::status::ok, page->content_type, std::string(page->body));
      served.response.set("Content-Security-Policy", dashboard_csp);
      served.response.set("X-Content-Type-Options", "nosniff");
      return served;
    }
    case route::unknown:
      break;
  }
  return answer(req, http::status::not_found, text_plain, "not found\n");
}

}  // namespace pcbridge::proxy
