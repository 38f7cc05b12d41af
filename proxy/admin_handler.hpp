#pragma once
// The admin listener's routes, served by an http_server of their own (never on the V1
// port): liveness, readiness, Prometheus metrics and the migration usage report.
//   GET /healthz       200 "ok\n"                            text/plain
//   GET /readyz        200 "ready\n" | 503 "not ready: <reason>\n"   text/plain
//   GET /metrics       200 exposition format 0.0.4
//   GET /admin/usage   200 usage JSON                        application/json
//       ?format=csv    200 the same rows as CSV              text/csv; charset=utf-8
//   GET /admin/status  200 dashboard data (admin_status.hpp)  application/json
//   GET / , /dashboard.css, /dashboard.js   the dashboard page (admin_dashboard.hpp)
// Access (admin_auth.hpp): with a token, every route but /healthz, /readyz and the
// dashboard's static files (no data in them) answers 401
// "Bearer realm" without a matching "Authorization: Bearer <token>" (unknown paths too,
// before 404/405); without a token, a non-loopback listener answers 403 on /admin/usage and
// /admin/status (they name clients).
// HEAD is answered on every route (headers of GET, no body); the query string is ignored;
// other paths 404, other verbs 405 with "Allow: GET, HEAD". Answers carry
// "Cache-Control: no-store". Synchronous: it runs on the proxy's io_context thread, the
// thread that also updates the metrics and the usage report.
#include <functional>
#include <string>

#include "proxy/admin_auth.hpp"
#include "proxy/http_server.hpp"
#include "proxy/metrics.hpp"
#include "proxy/usage_report.hpp"

namespace pcbridge::proxy {

struct readiness {
  bool ready = false;
  std::string reason;  // why not ready, e.g. "draining" or "no token yet"; shown to the operator
};

// What the admin routes read. The referenced objects must outlive the admin server.
struct admin_sources {
  const metrics& stats;
  const usage_report& usage;
  std::function<readiness()> ready;  // empty: always ready (nothing to wait for)
  admin_access access = {};          // default: no token, loopback (open)
  std::function<std::string()> status = {};  // /admin/status JSON; empty: "{}"
};

handler_result handle_admin(const string_request& req, const admin_sources& sources);

}  // namespace pcbridge::proxy
