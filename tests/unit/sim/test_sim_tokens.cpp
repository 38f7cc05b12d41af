// The OAuth token endpoint and bearer authentication of API calls.
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;
using namespace std::chrono_literals;

TEST_CASE("token endpoint issues an opaque bearer token for valid client credentials") {
  harness h;
  auto r = h.fetch_token_response("grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
  CHECK(r.status == 200);
  CHECK(r.headers.find("Content-Type").value() == "application/json; charset=utf-8");
  CHECK(r.headers.find("Cache-Control").value() == "no-store");
  const auto body = json::parse(r.body);
  CHECK(body.size() == 3);
  CHECK(body["expires_in"] == 3600);
  CHECK(body["token_type"] == "Bearer");
  const auto token = body["access_token"].get<std::string>();
  CHECK(token.size() >= 32);
  CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
  // A second fetch gives a different token.
  auto again = h.fetch_token_response("grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
  CHECK(json::parse(again.body)["access_token"] != token);
}

TEST_CASE("token endpoint percent-decodes the form and accepts HTTP Basic client authentication") {
  auto o = options();
  o.clients = {{"id with space", "p@ss+word&=", "key-1"}};
  harness h(o);
  CHECK(h.fetch_token_response("grant_type=client_credentials&client_id=id+with%20space&client_secret=p%40ss%2Bword%26%3D")
            .status == 200);
  // base64("id+with+space:p%40ss%2Bword%26%3D"): Basic credentials are form-encoded first (RFC 6749 §2.3.1).
  auto basic = h.call("POST", "/connect/token", "grant_type=client_credentials",
                      {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Authorization", "Basic aWQrd2l0aCtzcGFjZTpwJTQwc3MlMkJ3b3JkJTI2JTNE"}});
  CHECK(basic.status == 200);
}

TEST_CASE("token endpoint rejects bad grants and bad clients with OAuth error bodies") {
  harness h;
  const auto error_of = [](const sim_response& r) { return json::parse(r.body)["error"].get<std::string>(); };

  auto wrong_grant = h.fetch_token_response("grant_type=password&client_id=demo-client&client_secret=demo-secret");
  CHECK(wrong_grant.status == 400);
  CHECK(error_of(wrong_grant) == "unsupported_grant_type");

  auto unknown = h.fetch_token_response("grant_type=client_credentials&client_id=nobody&client_secret=demo-secret");
  CHECK(unknown.status == 400);
  CHECK(error_of(unknown) == "invalid_client");

  auto bad_secret = h.fetch_token_response("grant_type=client_credentials&client_id=demo-client&client_secret=nope");
  CHECK(bad_secret.status == 400);
  CHECK(error_of(bad_secret) == "invalid_client");

  auto no_grant = h.fetch_token_response("client_id=demo-client&client_secret=demo-secret");
  CHECK(no_grant.status == 400);
  CHECK(error_of(no_grant) == "invalid_request");

  auto json_body = h.call("POST", "/connect/token", R"({"grant_type":"client_credentials"})",
                          {{"Content-Type", "application/json"}});
  CHECK(json_body.status == 400);
  CHECK(error_of(json_body) == "invalid_request");

  CHECK(h.control("GET", "/__sim/stats")["token_fetches"] == 5);
  CHECK(h.control("GET", "/__sim/stats")["tokens_issued"] == 0);
}

TEST_CASE("API calls need a live bearer token and the token's API key") {
  harness h;
  const auto programs = program_path.substr(0, program_path.rfind('/'));

  auto none = h.call("GET", programs);
  CHECK(none.status == 401);
  CHECK(none.headers.find("Content-Type").value() == "application/problem+json");
  CHECK(none.headers.find("WWW-Authenticate").value() == "Bearer");
  CHECK(json::parse(none.body) == json::parse(R"({"title":"Missing bearer token","status":401})"));

  auto bogus = h.call("GET", programs, {}, {{"Authorization", "Bearer not-a-token"}, {"X-ApiKey", "demo-key"}});
  CHECK(bogus.status == 401);

  const auto token = h.fetch_token();
  auto no_key = h.call("GET", programs, {}, {{"Authorization", "Bearer " + token}});
  CHECK(no_key.status == 401);
  auto wrong_key = h.call("GET", programs, {}, {{"Authorization", "Bearer " + token}, {"X-ApiKey", "other-key"}});
  CHECK(wrong_key.status == 401);
  auto ok = h.call("GET", programs, {}, {{"authorization", "bearer " + token}, {"x-apikey", "demo-key"}});
  CHECK(ok.status == 200);

  // Rejected calls were never processed and use no operation.
  CHECK(h.control("GET", "/__sim/stats")["operations"] == json::parse(R"({"demo-key":1})"));
}

TEST_CASE("a token expires after its lifetime on the simulator's clock") {
  auto o = options();
  o.token_ttl = std::chrono::seconds(120);
  harness h(o);
  CHECK(json::parse(h.fetch_token_response(
                        "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret")
                        .body)["expires_in"] == 120);
  h.fetch_token();
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  h.advance(119s);
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  h.advance(1s);
  CHECK(h.api("GET", "/services/v2/Programs").status == 401);
}

TEST_CASE("/__sim/clock/advance moves the clock tokens are checked against") {
  harness h;
  h.fetch_token();
  const auto advanced = h.control("POST", "/__sim/clock/advance", R"({"seconds":3599})");
  CHECK(advanced["now"] == "2025-01-15T09:59:59.0000000-08:00");
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  h.control("POST", "/__sim/clock/advance", R"({"seconds":1})");
  CHECK(h.api("GET", "/services/v2/Programs").status == 401);
  CHECK(h.control("GET", "/__sim/clock")["offset_seconds"] == 3600.0);
  CHECK(h.call("POST", "/__sim/clock/advance", R"({"seconds":-1})").status == 400);
}

TEST_CASE("/__sim/tokens/expire invalidates every issued token") {
  harness h;
  h.fetch_token();
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
  CHECK(h.control("POST", "/__sim/tokens/expire")["expired"] == 1);
  CHECK(h.api("GET", "/services/v2/Programs").status == 401);
  h.fetch_token();
  CHECK(h.api("GET", "/services/v2/Programs").status == 200);
}

TEST_CASE("/__sim/token_endpoint makes the next N token calls fail") {
  harness h;
  CHECK(h.control("POST", "/__sim/token_endpoint", R"({"fail":2,"status":503})") ==
        json::parse(R"({"fail":2,"status":503})"));
  const std::string form = "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret";
  auto first = h.fetch_token_response(form);
  CHECK(first.status == 503);
  CHECK(json::parse(first.body)["error"] == "server_error");
  CHECK(h.fetch_token_response(form).status == 503);
  CHECK(h.fetch_token_response(form).status == 200);
  const auto stats = h.control("GET", "/__sim/stats");
  CHECK(stats["token_fetches"] == 3);
  CHECK(stats["tokens_issued"] == 1);
}
