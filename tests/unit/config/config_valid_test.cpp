// Valid documents: every field read, defaults, the shipped example.
#include <doctest/doctest.h>

#include "config_test_util.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;

TEST_CASE("a full config is read into every field") {
  const std::string yaml = R"(listen:
  address: "::1"
  port: 9090
  max_body_bytes: 2048
  max_header_bytes: 4096
  max_buffered_body_bytes: 8192
  header_timeout_ms: 1500
  idle_timeout_ms: 2500
upstream:
  base_url: HTTPS://api.example.com:8443/prefix/
  token_url: http://127.0.0.1:9000/connect/token
  timeout_ms: 1234
  operations_per_minute: 100000
  ca_file: )" + std::string(PCBRIDGE_SOURCE_DIR) + R"(/config/pcbridge.example.yaml
  changed_since_offset: -05:30
  token_refresh_margin_s: 0
  max_response_bytes: 1024
clients:
  - user: alice
    password: s3cret
    client_id: alice-id
    client_secret: alice-secret
    api_key: alice-key
    admin: true
  - user: bob
    password_sha256: 1EC1C26B50D5D3C58D9583181AF8076655FE00756BF7285940BA3670F99FCBA0
    client_id: bob-id
    client_secret: bob-secret
basic_as_client_credentials:
  enabled: yes
  api_key: pass-key
  admin: true
routes:
  GetProjectData: { mode: reject }
  SetProjectData:
    mode: translate
log:
  format: json
  level: debug
)";
  const load_result r = load_config_text(yaml);
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  REQUIRE(r.value);
  const config& c = *r.value;

  CHECK(c.listen.address == "::1");
  CHECK(c.listen.port == 9090);
  CHECK(c.listen.max_body_bytes == 2048);
  CHECK(c.listen.max_header_bytes == 4096);
  CHECK(c.listen.max_buffered_body_bytes == 8192);
  CHECK(c.listen.header_timeout_ms == 1500);
  CHECK(c.listen.idle_timeout_ms == 2500);

  CHECK(c.upstream.base_url == "https://api.example.com:8443/prefix");
  CHECK(c.upstream.token_url == "http://127.0.0.1:9000/connect/token");
  CHECK(c.upstream.timeout_ms == 1234);
  CHECK(c.upstream.operations_per_minute == 100000);
  CHECK(c.upstream.ca_file == std::string(PCBRIDGE_SOURCE_DIR) + "/config/pcbridge.example.yaml");
  CHECK(c.upstream.changed_since_offset == "-05:30");
  CHECK(c.upstream.token_refresh_margin_s == 0);
  CHECK(c.upstream.max_response_bytes == 1024);

  REQUIRE(c.clients.size() == 2);
  CHECK(c.clients[0].user == "alice");
  CHECK(c.clients[0].password_sha256 == sha256("s3cret"));
  CHECK(c.clients[0].user_sha256 == sha256(c.clients[0].user));
  CHECK(c.clients[0].client_id == "alice-id");
  CHECK(c.clients[0].client_secret == "alice-secret");
  CHECK(c.clients[0].api_key == std::optional<std::string>("alice-key"));
  CHECK(c.clients[0].admin);
  CHECK(c.clients[1].user == "bob");
  CHECK(c.clients[1].password_sha256 == sha256("s3cret"));  // the hex above, upper-case
  CHECK(c.clients[1].client_id == "bob-id");
  CHECK(c.clients[1].client_secret == "bob-secret");
  CHECK_FALSE(c.clients[1].api_key.has_value());
  CHECK_FALSE(c.clients[1].admin);

  CHECK(c.basic_as_client_credentials.enabled);
  CHECK(c.basic_as_client_credentials.api_key == std::optional<std::string>("pass-key"));
  CHECK(c.basic_as_client_credentials.admin);

  CHECK(c.routes == std::map<std::string, route_mode>{{"GetProjectData", route_mode::reject},
                                                      {"SetProjectData", route_mode::translate}});
  CHECK(c.log.format == log_config::format_kind::json);
  CHECK(c.log.level == log_config::level_kind::debug);
}

TEST_CASE("absent keys take the defaults of config.hpp") {
  const load_result r = load_config_text(test::minimal_yaml);
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  const config& c = *r.value;
  const config defaults;

  CHECK(c.listen.address == "127.0.0.1");
  CHECK(c.listen.port == 8080);
  CHECK(c.listen.max_body_bytes == 10485760);
  CHECK(c.listen.max_header_bytes == 16384);
  CHECK(c.listen.max_buffered_body_bytes == 64 * 1024 * 1024);
  CHECK(c.listen.header_timeout_ms == 10000);
  CHECK(c.listen.idle_timeout_ms == 60000);
  CHECK(c.upstream.base_url == "https://api.example.com");
  CHECK(c.upstream.token_url == "https://id.example.com/connect/token");
  CHECK(c.upstream.timeout_ms == 30000);
  CHECK(c.upstream.operations_per_minute == 60);
  CHECK(c.upstream.ca_file.empty());
  CHECK(c.upstream.changed_since_offset == "+00:00");
  CHECK(c.upstream.token_refresh_margin_s == 300);
  CHECK(c.upstream.max_response_bytes == 67108864);
  REQUIRE(c.clients.size() == 1);
  CHECK_FALSE(c.clients[0].api_key.has_value());
  CHECK_FALSE(c.clients[0].admin);
  CHECK(c.basic_as_client_credentials.enabled == defaults.basic_as_client_credentials.enabled);
  CHECK_FALSE(c.basic_as_client_credentials.api_key.has_value());
  CHECK_FALSE(c.basic_as_client_credentials.admin);
  CHECK(c.routes.empty());
  CHECK(c.log.format == log_config::format_kind::text);
  CHECK(c.log.level == log_config::level_kind::info);
}

TEST_CASE("empty sections read as all defaults") {
  const load_result r = load_config_text(std::string(test::minimal_yaml) +
                                         "listen:\nroutes:\nlog:\nbasic_as_client_credentials:\n");
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->listen.port == 8080);
  CHECK(r.value->routes.empty());
}

TEST_CASE("basic_as_client_credentials.enabled makes clients optional") {
  const load_result r = load_config_text(R"(upstream:
  base_url: https://api.example.com
  token_url: https://id.example.com/connect/token
basic_as_client_credentials: { enabled: true }
)");
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->clients.empty());
  CHECK(r.value->basic_as_client_credentials.enabled);
}

TEST_CASE("numbers at the edges of their ranges are accepted") {
  const load_result r = load_config_text(std::string(test::minimal_yaml) + R"(listen:
  port: 0
  max_body_bytes: 1024
  max_header_bytes: 1024
  header_timeout_ms: 1
  idle_timeout_ms: 2147483647
routes:
  Generic: { mode: reject }
)");
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->listen.port == 0);
  CHECK(r.value->listen.idle_timeout_ms == 2147483647);
  CHECK(r.value->routes.at("Generic") == route_mode::reject);
}

TEST_CASE("the shipped example config loads") {
  const std::string path = std::string(PCBRIDGE_SOURCE_DIR) + "/config/pcbridge.example.yaml";
  const load_result r = load_config_file(path);
  REQUIRE_MESSAGE(r.errors.empty(), format_errors(r.errors, path));
  REQUIRE(r.value);
  const config& c = *r.value;
  CHECK(c.upstream.base_url == "https://api.powerclerk.com");
  CHECK(c.upstream.token_url == "https://identity.powerclerk.com/connect/token");
  REQUIRE(c.clients.size() == 1);
  CHECK(c.clients[0].user == "legacy-user");
  CHECK(c.clients[0].password_sha256 == sha256("change-me"));
  // Every value it states is the default.
  const config defaults;
  CHECK(c.listen.address == defaults.listen.address);
  CHECK(c.listen.port == defaults.listen.port);
  CHECK(c.listen.max_body_bytes == defaults.listen.max_body_bytes);
  CHECK(c.listen.max_header_bytes == defaults.listen.max_header_bytes);
  CHECK(c.listen.header_timeout_ms == defaults.listen.header_timeout_ms);
  CHECK(c.listen.idle_timeout_ms == defaults.listen.idle_timeout_ms);
  CHECK(c.upstream.timeout_ms == defaults.upstream.timeout_ms);
  CHECK(c.upstream.operations_per_minute == defaults.upstream.operations_per_minute);
  CHECK(c.upstream.ca_file == defaults.upstream.ca_file);
  CHECK(c.upstream.changed_since_offset == defaults.upstream.changed_since_offset);
  CHECK(c.upstream.token_refresh_margin_s == defaults.upstream.token_refresh_margin_s);
  CHECK(c.upstream.max_response_bytes == defaults.upstream.max_response_bytes);
  CHECK(c.clients[0].admin == false);
  CHECK(c.basic_as_client_credentials.enabled == defaults.basic_as_client_credentials.enabled);
  CHECK(c.basic_as_client_credentials.admin == defaults.basic_as_client_credentials.admin);
  CHECK(c.log.format == defaults.log.format);
  CHECK(c.log.level == defaults.log.level);
}

TEST_CASE("load_config_file reads the file it is given") {
  test::temp_file file(test::minimal_yaml, ".yaml");
  const load_result r = load_config_file(file.path());
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->clients.at(0).user == "u");
}

}  // namespace
}  // namespace pcbridge::config
