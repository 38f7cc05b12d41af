// End-to-end: pcbridge against the V2 simulator. Each case asserts what the V1 client
// got and exactly what reached the simulator (paths, headers, bodies).
#include <doctest/doctest.h>

#include <chrono>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;

namespace {





}  // namespace

TEST_CASE("auth swap: Basic in, client-credentials token and API key out, Basic never forwarded") {
  stack s;
  auto r = s.v1("GET", v1 + "/Projects?version=2");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(contains(r.body, "<ProjectsResponse " + v1_ns));
  CHECK(contains(r.body, "ProjectId=\"PRJ7K2M9Q4XZ\""));

  // The token was fetched as pcbridge started (so /readyz can say ready), once.
  auto startup = s.startup_requests();
  REQUIRE(startup.size() == 1);
  CHECK(startup[0]["method"] == "POST");
  CHECK(startup[0]["target"] == "/connect/token");
  CHECK(startup[0]["body"] == "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
  CHECK(header(startup[0], "content-type") == "application/x-www-form-urlencoded");

  auto requests = s.sim_requests();
  REQUIRE(requests.size() == 1);
  auto& api = requests[0];
  CHECK(api["method"] == "GET");
  CHECK(api["target"] == v2 + "/Projects");  // version dropped
  CHECK(header(api, "authorization").rfind("Bearer ", 0) == 0);
  CHECK(header(api, "authorization").size() > 20);
  CHECK(header(api, "x-apikey") == "demo-key");
  CHECK(header(api, "accept") == "application/json");
  CHECK(header(api, "x-request-id") == r.header("x-request-id"));
}

TEST_CASE("the token is fetched once and reused across requests") {
  stack s;
  for (int i = 0; i < 3; ++i) REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  CHECK(s.sim_stats()["token_fetches"] == 1);
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 3);
  CHECK(header(api[0], "authorization") == header(api[2], "authorization"));
}

TEST_CASE("a 401 from upstream refreshes the token once and retries") {
  stack s;
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  const std::string first_token = header(s.sim_api_requests()[0], "authorization");
  REQUIRE(s.sim_post("/__sim/tokens/expire", "{}").status / 100 == 2);
  s.clear_sim_requests();

  auto r = s.v1("GET", v1 + "/Projects");
  CHECK(r.status == 200);
  auto requests = s.sim_requests();
  REQUIRE(requests.size() == 3);  // rejected call, one token fetch, retried call
  CHECK(requests[0]["target"] == v2 + "/Projects");
  CHECK(header(requests[0], "authorization") == first_token);
  CHECK(requests[1]["target"] == "/connect/token");
  CHECK(requests[2]["target"] == v2 + "/Projects");
  CHECK(header(requests[2], "authorization") != first_token);
  CHECK(s.sim_stats()["token_fetches"] == 2);
}

TEST_CASE("documented path rewrites reach upstream exactly") {
  stack s;
  const std::string project = v1 + "/Projects/" + draft_project;
  const std::string v2_project = v2 + "/Projects/" + draft_project;
  const std::string set_body =
      "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + draft_project + "\" FormId=\"" + form +
      "\"><DataFields><DataField DataFieldId=\"DF0CUSTNAME1\" Name=\"Customer name\" Value=\"Casey Kim\"/>"
      "</DataFields></Project></ProjectDataRequest>";

  struct rewrite {
    std::string user, password, method, v1_target, body, v2_method, v2_target;
  };
  const std::vector<rewrite> cases = {
      {user, password, "GET", "/Services.svc/v1/Programs", "", "GET", "/services/v2/Programs"},
      {user, password, "GET", v1 + "/Forms/" + form + "/Schema?version=2", "", "GET", v2 + "/Forms/" + form + "/Schema"},
      {user, password, "GET", project + "/Forms/" + form + "/Data", "", "GET", v2_project + "/Forms/" + form + "/Draft/Data"},
      {user, password, "POST", project + "/Forms/" + form + "/Data", set_body, "POST",
       v2_project + "/Forms/" + form + "/Draft/Data"},
      {admin_user, admin_password, "POST", project + "/Forms/" + form + "/Data", set_body, "POST",
       v2_project + "/Forms/" + form + "/Data"},
      {user, password, "GET", v1 + "/Projects?changed_since=2024-01-01&version=3&limit=5", "", "GET",
       v2 + "/Projects?changed_since=2024-01-01T00:00:00%2B00:00&limit=5"},
      {user, password, "GET", v1 + "/Projects?changed_since=2024-01-01T10:00:00:1234567-07:00", "", "GET",
       v2 + "/Projects?changed_since=2024-01-01T10:00:00.1234567-07:00"},
      {user, password, "GET", "/services.svc/V1/programs/" + program + "/statuslist", "", "GET", v2 + "/StatusList"},
      {user, password, "POST", project + "/Forms/" + form + "/Submit", "", "POST",
       v2_project + "/Forms/" + form + "/Draft/Submit"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.v1_target);
    s.clear_sim_requests();
    auto r = s.v1_as(c.user, c.password, c.method, c.v1_target, c.body);
    auto api = s.sim_api_requests();
    REQUIRE(api.size() >= 1);
    CHECK(api.back()["method"] == c.v2_method);
    CHECK(api.back()["target"] == c.v2_target);
    CHECK(r.status != 0);
  }
}

TEST_CASE("SetProjectData sends the translated JSON body, not the V1 XML") {
  stack s;
  const std::string body =
      "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + draft_project + "\" FormId=\"" + form +
      "\"><DataFields><DataField DataFieldId=\"DF0CUSTNAME1\" Name=\"Customer name\" Value=\"Casey &amp; Kim\"/>"
      "</DataFields></Project></ProjectDataRequest>";
  auto r = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data", body);
  CHECK(r.status == 200);
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 2);  // the form's schema (value types), then the write
  CHECK(api[0]["method"] == "GET");
  CHECK(api[0]["target"] == v2 + "/Forms/" + form + "/Schema");
  CHECK(api[1]["method"] == "POST");
  CHECK(header(api[1], "content-type") == "application/json");
  CHECK(json::parse(api[1]["body"].get<std::string>()) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"DF0CUSTNAME1","Value":"Casey & Kim"}]}})"));
  CHECK(contains(r.body, "<ProjectDataSetResponse " + v1_ns));
}

TEST_CASE("MFA headers and the request id pass through; X-ApiKey comes from the client when not configured") {
  stack s;
  auto r = s.v1_as(keyless_user, keyless_password, "GET", v1 + "/Forms", {},
                   {{"Mfa-One-Time-Password", "123456"}, {"Mfa-Session-Token", "mst-abc"},
                    {"X-ApiKey", "demo-key"}, {"X-Request-Id", "trace-42"}});
  CHECK(r.status == 200);
  CHECK(r.header("x-request-id") == "trace-42");
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(header(api[0], "mfa-one-time-password") == "123456");
  CHECK(header(api[0], "mfa-session-token") == "mst-abc");
  CHECK(header(api[0], "x-apikey") == "demo-key");
  CHECK(header(api[0], "x-request-id") == "trace-42");
}

TEST_CASE("a client without a configured or sent API key gets 401 and nothing goes upstream") {
  stack s;
  auto r = s.v1_as(keyless_user, keyless_password, "GET", v1 + "/Forms");
  check_v1_error(r, 401);
  CHECK(contains(r.body, "Message=\"X-ApiKey header required\""));
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("bad or missing credentials: 401 with WWW-Authenticate, nothing sent upstream") {
  stack s;
  auto wrong = s.v1_as(user, "not-the-password", "GET", v1 + "/Forms");
  check_v1_error(wrong, 401);
  CHECK(wrong.header("www-authenticate") == "Basic realm=\"pcbridge\", charset=\"UTF-8\"");
  CHECK(contains(wrong.body, "Message=\"invalid user name or password\""));

  auto none = send(s.proxy_port(), "GET", v1 + "/Forms");
  check_v1_error(none, 401);
  CHECK(contains(none.body, "Message=\"HTTP Basic authentication required\""));

  auto bearer = send(s.proxy_port(), "GET", v1 + "/Forms", {{"Authorization", "Bearer abc"}});
  check_v1_error(bearer, 401);
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("malformed XML is a 400 and never reaches upstream") {
  stack s;
  auto r = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data",
                "<ProjectDataRequest " + v1_ns + "><Project><DataFields>");
  check_v1_error(r, 400);
  auto foreign = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data",
                      "<ProjectDataRequest xmlns=\"urn:other\"/>");
  check_v1_error(foreign, 400);
  auto empty = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data");
  check_v1_error(empty, 400);
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("an unparseable changed_since is a 400 naming the parameter, before any upstream call") {
  stack s;
  auto r = s.v1("GET", v1 + "/Projects?changed_since=yesterday");
  check_v1_error(r, 400);
  CHECK(contains(r.body, "changed_since"));
  auto month = s.v1("GET", v1 + "/Projects?changed_since=2024-13-01");
  check_v1_error(month, 400);
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("paths outside /Services.svc/v1 are 404 and reach nobody") {
  stack s;
  check_v1_error(s.v1("GET", "/foo"), 404);
  check_v1_error(s.v1("GET", "/services/v2/Programs"), 404);
  check_v1_error(s.v1("GET", "/Services.svc/v2/Programs"), 404);
  check_v1_error(send(s.proxy_port(), "GET", "/"), 404);
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("MFA session token methods have no V2 equivalent: 501") {
  stack s;
  auto r = s.v1("POST", "/Services.svc/v1/Accounts/MfaSessionTokens",
                "<CreateMfaSessionTokenRequest ExpiresAfterMinutes=\"60\"/>");
  check_v1_error(r, 501);
  CHECK(s.sim_requests().empty());  // not even a token request
}

TEST_CASE("upstream errors keep their status and message in the V1 error body") {
  stack s;
  auto r = s.v1("GET", v1 + "/Projects/NOSUCHPROJ01/Forms/" + form + "/Data");
  check_v1_error(r, 404);
  CHECK(contains(r.body, "Message=\"upstream: "));
}

TEST_CASE("upstream unreachable is a quick 502; a slow upstream is a 504 near timeout_ms") {
  {
    stack_options o;
    o.timeout_ms = 500;
    stack s(o);
    REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Forms","delay_ms":3000,"count":1})").status / 100 == 2);
    const auto started = std::chrono::steady_clock::now();
    auto r = s.v1("GET", v1 + "/Forms");
    const auto took = std::chrono::steady_clock::now() - started;
    check_v1_error(r, 504);
    CHECK(took >= std::chrono::milliseconds(450));
    CHECK(took < std::chrono::milliseconds(2500));
  }
  {
    // Tokens come from the simulator, but nothing listens at the API base URL.
    stack_options o;
    o.base_url_override = "http://127.0.0.1:1";
    stack s(o);
    const auto started = std::chrono::steady_clock::now();
    auto r = s.v1("GET", v1 + "/Forms");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1000));
    check_v1_error(r, 502);
    CHECK(contains(r.body, "Message=\"upstream unreachable: connecting to 127.0.0.1:1: Connection refused\""));
  }
}

TEST_CASE("a token endpoint that refuses the configured credentials gives 503 and nothing is forwarded") {
  stack_options o;
  o.clients_override = "clients:\n  - user: " + user + "\n    password: " + password +
                       "\n    client_id: demo-client\n    client_secret: not-the-secret\n    api_key: demo-key\n";
  stack s(o);
  auto r = s.v1("GET", v1 + "/Forms");
  check_v1_error(r, 503);
  CHECK(contains(r.body, "no access token could be obtained for this client: token endpoint answered 400 (invalid_client)"));
  CHECK_FALSE(contains(r.body, "not-the-secret"));
  CHECK(s.sim_api_requests().empty());
}

TEST_CASE("a write whose answer is lost is reported as unknown, not retried") {
  stack s;
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/NewProject","drop":true,"after_processing":true,"count":1})")
              .status / 100 == 2);
  auto r = s.v1("POST", v1 + "/NewProject");
  check_v1_error(r, 502);
  CHECK(contains(r.body, "The outcome of this CreateNewProject write is unknown"));
  auto api = s.sim_api_requests();
  CHECK(api.size() == 1);
}

TEST_CASE("no secret or token appears in pcbridge's output") {
  stack s;
  s.v1("GET", v1 + "/Forms");
  s.v1_as(user, "wrong-password-xyz", "GET", v1 + "/Forms");
  s.v1("GET", v1 + "/Projects/NOSUCHPROJ01/Forms/" + form + "/Data");
  std::vector<std::string> secrets = {password, admin_password, keyless_password, sim_client_secret,
                                      "wrong-password-xyz"};
  for (auto& r : s.sim_api_requests()) secrets.push_back(header(r, "authorization").substr(7));
  const std::string output = s.proxy_output();
  REQUIRE(contains(output, "access rid="));
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK_FALSE(contains(output, secret));
  }
}

TEST_CASE("metadata answers are cached per client; Cache-Control: no-cache bypasses the cache") {
  stack s;
  auto first = s.v1("GET", v1 + "/Forms");
  auto second = s.v1("GET", v1 + "/Forms");
  REQUIRE(first.status == 200);
  CHECK(second.body == first.body);
  CHECK(s.sim_api_requests().size() == 1);
  auto fresh = s.v1("GET", v1 + "/Forms", {}, {{"Cache-Control", "no-cache"}});
  CHECK(fresh.status == 200);
  CHECK(s.sim_api_requests().size() == 2);
  // Other methods are not cached.
  s.v1("GET", v1 + "/Projects");
  s.v1("GET", v1 + "/Projects");
  CHECK(s.sim_api_requests().size() == 4);
}
