// End-to-end: admin.token protects the admin listener of a running pcbridge; the probes stay
// open; --check-config warns about a non-loopback admin listener without a token.
#include <doctest/doctest.h>

#include <string>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string admin_token = "e2e-admin-token-7f3a9c1d5b";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("admin token: /metrics and /admin/usage need the bearer token, the probes do not") {
  stack_options o;
  o.admin = true;
  o.admin_extra = ", token: " + admin_token;
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);

  for (const std::string path : {"/metrics", "/admin/usage", "/nowhere"}) {
    CAPTURE(path);
    const reply none = send(s.admin_port(), "GET", path);
    CHECK(none.status == 401);
    CHECK(none.header("www-authenticate") == "Bearer realm=\"pcbridge admin\"");
    CHECK_FALSE(contains(none.body, user));
    const reply wrong = send(s.admin_port(), "GET", path, {{"Authorization", "Bearer " + admin_token + "x"}});
    CHECK(wrong.status == 401);
    CHECK_FALSE(contains(wrong.body, user));
    const reply basic_auth = send(s.admin_port(), "GET", path, {{"Authorization", basic("admin", admin_token)}});
    CHECK(basic_auth.status == 401);
  }
  const header_list bearer = {{"Authorization", "Bearer " + admin_token}};
  const reply usage = send(s.admin_port(), "GET", "/admin/usage", bearer);
  CHECK(usage.status == 200);
  CHECK(contains(usage.body, "\"user\":\"" + user + "\""));
  const reply metrics = send(s.admin_port(), "GET", "/metrics", bearer);
  CHECK(metrics.status == 200);
  CHECK(contains(metrics.body, "pcbridge_requests_total"));

  CHECK(s.admin_get("/healthz").status == 200);
  CHECK(s.admin_get("/healthz").body == "ok\n");
  CHECK(s.admin_get("/readyz").status == 200);

  // The token never reaches pcbridge's output.
  CHECK_FALSE(contains(s.proxy_output(), admin_token));
}

TEST_CASE("admin token: --check-config warns about a non-loopback admin listener without one") {
  const std::string dir = make_temp_dir();
  const std::string base =
      "upstream: { base_url: http://127.0.0.1:9, token_url: http://127.0.0.1:9/connect/token }\n"
      "clients:\n  - { user: u, password: p, client_id: i, client_secret: s }\n";
  write_file(dir + "/open.yaml", base + "admin: { address: 0.0.0.0, port: 9901 }\n");
  write_file(dir + "/closed.yaml", base + "admin: { address: 0.0.0.0, port: 9901, token: " + admin_token + " }\n");
  {
    child_process check({binary_path("pcbridge"), "--check-config", dir + "/open.yaml"}, dir + "/open.log");
    CHECK(check.wait(std::chrono::seconds(10)) == 0);
    CHECK(read_file(dir + "/open.log") ==
          dir + "/open.yaml:4: admin.address: warning: the admin listener is not on loopback and has no admin.token: "
                "anyone who reaches it can read /metrics, and /admin/usage and the dashboard data are refused (they "
                "name clients); set admin.token_file or admin.token_env\n" +
          dir + "/open.yaml: valid (1 clients)\n");
  }
  {
    child_process check({binary_path("pcbridge"), "--check-config", dir + "/closed.yaml"}, dir + "/closed.log");
    CHECK(check.wait(std::chrono::seconds(10)) == 0);
    CHECK(read_file(dir + "/closed.log") == dir + "/closed.yaml: valid (1 clients)\n");
  }
}
