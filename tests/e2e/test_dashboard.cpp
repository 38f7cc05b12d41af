// End-to-end: the dashboard on a running pcbridge's admin listener: the page at / (served without
// the token: it holds no data), /admin/status behind the admin token, its JSON after a known
// sequence of V1 requests, and an upstream error echoing the caller's secrets shown scrubbed.
// The page in a real browser: tests/browser/run_dashboard.sh (CTest browser_dashboard).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string dashboard_token = "e2e-dashboard-token-5c8e21";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

nlohmann::json method_row(const nlohmann::json& status, const std::string& name) {
  for (const auto& m : status["methods"])
    if (m["method"] == name) return m;
  return nullptr;
}

}  // namespace

TEST_CASE("dashboard: / and its files are served; /admin/status needs the admin token") {
  stack_options o;
  o.admin = true;
  o.admin_extra = ", token: " + dashboard_token;
  stack s(o);

  const reply page = s.admin_get("/");
  CHECK(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  CHECK(contains(page.header("content-security-policy"), "connect-src 'self'"));
  CHECK(contains(page.body, "<title>pcbridge migration dashboard</title>"));
  CHECK(s.admin_get("/dashboard.js").header("content-type") == "text/javascript; charset=utf-8");
  CHECK(s.admin_get("/dashboard.css").header("content-type") == "text/css; charset=utf-8");

  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  const reply refused = s.admin_get("/admin/status");
  CHECK(refused.status == 401);
  CHECK(refused.header("www-authenticate") == "Bearer realm=\"pcbridge admin\"");
  CHECK_FALSE(contains(refused.body, user));
  CHECK(send(s.admin_port(), "GET", "/admin/status", {{"Authorization", "Bearer " + dashboard_token + "0"}}).status ==
        401);
  const reply status = send(s.admin_port(), "GET", "/admin/status", {{"Authorization", "Bearer " + dashboard_token}});
  CHECK(status.status == 200);
  CHECK(status.header("content-type") == "application/json");
  CHECK(status.header("cache-control") == "no-store");
  CHECK(contains(status.body, "\"user\":\"" + user + "\""));
  // The page never carries a client name or a secret: it is served to anyone who reaches the port.
  for (const std::string& name : {user, sim_api_key, sim_client_secret, dashboard_token}) {
    CAPTURE(name);
    CHECK_FALSE(contains(page.body, name));
  }
  CHECK_FALSE(contains(s.proxy_output(), dashboard_token));
}

TEST_CASE("dashboard: /admin/status after a known sequence of requests") {
  stack_options o;
  o.admin = true;
  o.extra_config = "routes:\n  GetStatusList: { mode: reject }\n";
  stack s(o);

  for (int i = 0; i < 2; ++i) REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/StatusList").status == 501);
  // Upstream answers the next GetForms with a 500 that echoes the caller's API key, secret and password.
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Forms","status":500,"body":"{\"detail\":\"failed for )" +
                                          sim_api_key + " " + sim_client_secret + " " + password + R"(\"}"})")
              .status == 200);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 500);
  // An attachment download is streamed (streaming.cpp), not buffered: its upstream 404 is seen too.
  REQUIRE(s.v1("GET", v1 + "/Projects/" + draft_project + "/Attachments/NOSUCHATTACH").status == 404);

  const reply r = s.admin_get("/admin/status");
  REQUIRE(r.status == 200);
  const auto status = nlohmann::json::parse(r.body);
  CHECK(method_row(status, "GetProjects")["mode"] == "translate");
  CHECK(method_row(status, "GetProjects")["calls"] == 3);
  CHECK(method_row(status, "GetProjects")["clients"] == 2);
  CHECK(method_row(status, "GetProjects")["state"] == "in_use");
  CHECK(method_row(status, "GetStatusList")["mode"] == "reject");
  CHECK(method_row(status, "CreateMfaSessionToken")["mode"] == "unavailable");
  CHECK(method_row(status, "GetInquiryThreads")["state"] == "unused");

  // One key (every default client uses the simulator's), by fingerprint: 3 GetProjects, 1 GetForms
  // and the attachment download.
  REQUIRE(status["quota"]["keys"].size() == 1);
  const auto& key = status["quota"]["keys"][0];
  CHECK(key["api_key"].get<std::string>().size() == 12);
  CHECK(key["clients"] == nlohmann::json::array({admin_user, user}));
  CHECK(key["operations_last_hour"] == 5);
  CHECK(key["queue_length"] == 0);

  REQUIRE(status["tokens"].size() == 3);
  CHECK(status["tokens"][0]["user"] == user);
  CHECK(status["tokens"][0]["state"] == "valid");
  CHECK(status["tokens"][0]["expires_in_s"].get<int>() > 3500);
  CHECK(status["tokens"][0]["age_s"].get<int>() >= 0);
  CHECK(status["tokens"][0]["age_s"].get<int>() < 100);
  CHECK(status["tokens"][0]["last_error"] == "");

  REQUIRE(status["upstream_errors"]["recent"].size() == 2);
  const auto& download = status["upstream_errors"]["recent"][0];  // newest first
  CHECK(download["status"] == 404);
  CHECK(download["method"] == "GetActiveAttachment");
  CHECK(download["user"] == user);
  const auto& e = status["upstream_errors"]["recent"][1];
  CHECK(e["status"] == 500);
  CHECK(e["method"] == "GetForms");
  CHECK(e["user"] == user);
  CHECK(e["message"] == "failed for *** *** ***");
  for (const std::string& secret : {sim_api_key, sim_client_secret, password}) {
    CAPTURE(secret);
    CHECK_FALSE(contains(r.body, secret));
  }
}

TEST_CASE("usage: a call refused by its route (reject, unavailable) is counted under a caller whose credentials are valid") {
  stack_options o;
  o.admin = true;
  o.extra_config = "routes:\n  GetStatusList: { mode: reject }\n";
  stack s(o);
  const std::string mfa = "/Services.svc/v1/Accounts/MfaSessionTokens";
  REQUIRE(s.v1("GET", v1 + "/StatusList").status == 501);
  REQUIRE(s.v1("POST", mfa, "<CreateMfaSessionTokenRequest/>").status == 501);
  // The 501 needs no sign-in: wrong credentials get the same answer and stay "-" in the report.
  REQUIRE(s.v1_as(user, "wrong-pass", "GET", v1 + "/StatusList").status == 501);

  const reply r = s.admin_get("/admin/usage");
  REQUIRE(r.status == 200);
  const auto usage = nlohmann::json::parse(r.body);
  std::map<std::string, std::map<std::string, int>> calls;  // user -> method -> count
  for (const auto& c : usage["clients"])
    for (const auto& m : c["methods"]) calls[c["user"]][m["method"]] = m["count"];
  CHECK(calls == std::map<std::string, std::map<std::string, int>>{
                     {user, {{"GetStatusList", 1}, {"CreateMfaSessionToken", 1}}}, {"-", {{"GetStatusList", 1}}}});
}
