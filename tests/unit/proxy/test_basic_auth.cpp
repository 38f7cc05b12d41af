#include <doctest/doctest.h>

#include "proxy/basic_auth.hpp"

using namespace pcbridge;

namespace {

config::config two_clients() {
  config::config cfg;
  config::client_config a;
  a.user = "legacy-user";
  a.user_sha256 = config::sha256("legacy-user");
  a.password_sha256 = config::sha256("s3cret");
  a.client_id = "abc";
  a.client_secret = "xyz";
  a.api_key = "KEY";
  config::client_config b;
  b.user = "admin-user";
  b.user_sha256 = config::sha256("admin-user");
  b.password_sha256 = config::sha256("adm1n");
  b.client_id = "adm";
  b.client_secret = "adm-secret";
  b.admin = true;
  cfg.clients = {a, b};
  return cfg;
}

}  // namespace

TEST_CASE("Basic header: user and password are decoded") {
  // base64("legacy-user:s3cret")
  auto creds = proxy::parse_basic_authorization("Basic bGVnYWN5LXVzZXI6czNjcmV0");
  REQUIRE(creds);
  CHECK(creds->user == "legacy-user");
  CHECK(creds->password == "s3cret");
}

TEST_CASE("Basic header: scheme is case-insensitive and a password may contain colons") {
  // base64("u:a:b")
  auto creds = proxy::parse_basic_authorization("  basic dTphOmI=  ");
  REQUIRE(creds);
  CHECK(creds->user == "u");
  CHECK(creds->password == "a:b");
}

TEST_CASE("Basic header: malformed values are refused") {
  CHECK_FALSE(proxy::parse_basic_authorization(""));
  CHECK_FALSE(proxy::parse_basic_authorization("Bearer abc"));
  CHECK_FALSE(proxy::parse_basic_authorization("Basic"));
  CHECK_FALSE(proxy::parse_basic_authorization("Basic !!!!"));
  CHECK_FALSE(proxy::parse_basic_authorization("Basic dXNlcg=="));   // "user": no colon
  CHECK_FALSE(proxy::parse_basic_authorization("Basic dTphOmI"));    // length not a multiple of 4
  CHECK_FALSE(proxy::parse_basic_authorization("Basic dT0=phOm"));   // data after padding
}

TEST_CASE("authenticate picks the configured client and its V2 credentials") {
  auto cfg = two_clients();
  auto who = proxy::authenticate(cfg, {"legacy-user", "s3cret"});
  REQUIRE(who);
  CHECK(who->client_id == "abc");
  CHECK(who->client_secret == "xyz");
  CHECK(who->api_key == std::optional<std::string>("KEY"));
  CHECK_FALSE(who->admin);

  auto admin = proxy::authenticate(cfg, {"admin-user", "adm1n"});
  REQUIRE(admin);
  CHECK(admin->admin);
  CHECK_FALSE(admin->api_key);
}

TEST_CASE("authenticate refuses wrong password, unknown user and crossed pairs") {
  auto cfg = two_clients();
  CHECK_FALSE(proxy::authenticate(cfg, {"legacy-user", "wrong"}));
  CHECK_FALSE(proxy::authenticate(cfg, {"nobody", "s3cret"}));
  CHECK_FALSE(proxy::authenticate(cfg, {"legacy-user", "adm1n"}));
  CHECK_FALSE(proxy::authenticate(cfg, {"", ""}));
}

TEST_CASE("basic_as_client_credentials uses the Basic pair as client id/secret") {
  auto cfg = two_clients();
  cfg.basic_as_client_credentials.enabled = true;
  cfg.basic_as_client_credentials.api_key = "SHARED";
  auto who = proxy::authenticate(cfg, {"some-client-id", "some-secret"});
  REQUIRE(who);
  CHECK(who->client_id == "some-client-id");
  CHECK(who->client_secret == "some-secret");
  CHECK(who->api_key == std::optional<std::string>("SHARED"));
  // Configured clients still win over pass-through.
  auto configured = proxy::authenticate(cfg, {"legacy-user", "s3cret"});
  REQUIRE(configured);
  CHECK(configured->client_id == "abc");
  CHECK_FALSE(proxy::authenticate(cfg, {"id-only", ""}));
}
