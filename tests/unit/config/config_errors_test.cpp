// Invalid documents: each class of error with its exact path, line and message.
#include <doctest/doctest.h>

#include "config_test_util.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;

// Lines 1-3; the document under test continues at line 4.
constexpr const char* upstream_yaml =
    "upstream:\n"
    "  base_url: https://api.example.com\n"
    "  token_url: https://id.example.com/connect/token\n";

// Lines 1-8 of test::minimal_yaml; the document under test continues at line 9.
std::string after_minimal(const std::string& rest) { return std::string(test::minimal_yaml) + rest; }

TEST_CASE("a failed load has errors and no value") {
  const load_result r = load_config_text("listen: { port: x }\n");
  CHECK_FALSE(r.value);
  CHECK_FALSE(r.errors.empty());
}

TEST_CASE("unknown keys are reported with their full path and a suggestion") {
  const load_result r = load_config_text(std::string(upstream_yaml) + R"(clients:
  - user: u
    pasword: p
    client_id: id
    client_secret: s
listen:
  prot: 1
  colour: blue
loglevel: info
)");
  CHECK(errors_of(r) ==
        "t.yaml:5: clients[0]: one of password, password_sha256, password_env, password_file is required\n"
        "t.yaml:6: clients[0].pasword: unknown key (did you mean \"password\"?)\n"
        "t.yaml:10: listen.prot: unknown key (did you mean \"port\"?)\n"
        "t.yaml:11: listen.colour: unknown key\n"
        "t.yaml:12: loglevel: unknown key\n");
  REQUIRE(r.errors.size() == 5);
  CHECK(r.errors[1].path == "clients[0].pasword");
  CHECK(r.errors[1].line == 6);
  CHECK(r.errors[1].message == "unknown key (did you mean \"password\"?)");
}

TEST_CASE("wrong types are reported") {
  const load_result r = load_config_text(after_minimal(R"(listen:
  port: "8080"
  max_body_bytes: [1, 2]
  header_timeout_ms: abc
  idle_timeout_ms:
  address: localhost
basic_as_client_credentials:
  enabled: "true"
  admin: maybe
log:
  format: { a: 1 }
  level: verbose
routes: [GetForms]
)"));
  CHECK(errors_of(r) ==
        "t.yaml:10: listen.port: expected an integer, got a quoted string\n"
        "t.yaml:11: listen.max_body_bytes: expected an integer, got a list\n"
        "t.yaml:12: listen.header_timeout_ms: expected an integer\n"
        "t.yaml:13: listen.idle_timeout_ms: expected an integer, got nothing\n"
        "t.yaml:14: listen.address: expected an IPv4 or IPv6 address (e.g. 127.0.0.1 or ::1)\n"
        "t.yaml:16: basic_as_client_credentials.enabled: expected true or false, got a quoted string\n"
        "t.yaml:17: basic_as_client_credentials.admin: expected true or false\n"
        "t.yaml:19: log.format: expected text or json, got a mapping\n"
        "t.yaml:20: log.level: expected one of debug, info, warn, error\n"
        "t.yaml:21: routes: expected a mapping, got a list\n");
}

TEST_CASE("a section of the wrong type is reported once") {
  const load_result r = load_config_text(std::string(upstream_yaml) +
                                         "clients: { user: u }\nlisten: [1]\nlog: text\n");
  CHECK(errors_of(r) ==
        "t.yaml:4: clients: expected a list, got a mapping\n"
        "t.yaml:5: listen: expected a mapping, got a list\n"
        "t.yaml:6: log: expected a mapping, got a string\n");
}

TEST_CASE("numbers out of range are reported") {
  const load_result r = load_config_text(R"(listen:
  port: 65536
  max_body_bytes: 1023
  max_header_bytes: -5
  header_timeout_ms: 0
  idle_timeout_ms: 2147483648
upstream:
  base_url: https://api.example.com
  token_url: https://id.example.com/connect/token
  timeout_ms: -1
  operations_per_minute: 100001
  token_refresh_margin_s: 86401
  max_response_bytes: 99999999999999999999999
clients:
  - user: u
    password: p
    client_id: id
    client_secret: s
)");
  CHECK(errors_of(r) ==
        "t.yaml:2: listen.port: must be between 0 and 65535\n"
        "t.yaml:3: listen.max_body_bytes: must be at least 1024\n"
        "t.yaml:4: listen.max_header_bytes: must be at least 1024\n"
        "t.yaml:5: listen.header_timeout_ms: must be at least 1\n"
        "t.yaml:6: listen.idle_timeout_ms: must be at most 2147483647\n"
        "t.yaml:10: upstream.timeout_ms: must be at least 1\n"
        "t.yaml:11: upstream.operations_per_minute: must be between 1 and 100000\n"
        "t.yaml:12: upstream.token_refresh_margin_s: must be between 0 and 86400\n"
        "t.yaml:13: upstream.max_response_bytes: must be at most 9223372036854775807\n");
}

TEST_CASE("listen.max_buffered_body_bytes below max_body_bytes is refused") {
  const load_result r = load_config_text(
      "upstream: { base_url: 'https://a.example', token_url: 'https://b.example' }\n"
      "basic_as_client_credentials: { enabled: true }\n"
      "listen: { max_body_bytes: 4096, max_buffered_body_bytes: 4095 }\n");
  CHECK(errors_of(r) == "t.yaml:3: listen.max_buffered_body_bytes: must be at least 4096\n");
}

TEST_CASE("a negative port and operations_per_minute 0 are out of range") {
  const load_result r = load_config_text(
      "upstream: { base_url: 'https://a.example', token_url: 'https://b.example', operations_per_minute: 0 }\n"
      "basic_as_client_credentials: { enabled: true }\n"
      "listen: { port: -1 }\n");
  CHECK(errors_of(r) ==
        "t.yaml:1: upstream.operations_per_minute: must be between 1 and 100000\n"
        "t.yaml:3: listen.port: must be between 0 and 65535\n");
}

TEST_CASE("a repeated top-level key is a duplicate") {
  const load_result r = load_config_text(after_minimal("upstream: {}\n"));
  CHECK(errors_of(r) == "t.yaml:9: upstream: duplicate key (first at line 1)\n");
}

TEST_CASE("required keys are reported at the line of the mapping that lacks them") {
  const load_result r = load_config_text(R"(listen: { port: 1 }
upstream:
  timeout_ms: 5
)");
  CHECK(errors_of(r) ==
        "t.yaml:1: clients: at least one client is required unless basic_as_client_credentials.enabled is true\n"
        "t.yaml:2: upstream.base_url: required key is missing\n"
        "t.yaml:2: upstream.token_url: required key is missing\n");
}

TEST_CASE("an empty document lacks everything required, with no line") {
  const load_result r = load_config_text("");
  CHECK(errors_of(r) ==
        "t.yaml: upstream.base_url: required key is missing\n"
        "t.yaml: upstream.token_url: required key is missing\n"
        "t.yaml: clients: at least one client is required unless basic_as_client_credentials.enabled is true\n");
}

TEST_CASE("an empty clients list needs basic_as_client_credentials") {
  const load_result r = load_config_text(std::string(upstream_yaml) + "clients: []\n");
  CHECK(errors_of(r) ==
        "t.yaml:4: clients: at least one client is required unless basic_as_client_credentials.enabled is true\n");
}

TEST_CASE("client entries: required keys, duplicates, bad values") {
  const load_result r = load_config_text(std::string(upstream_yaml) + R"(clients:
  - user: alice
    password: p
    client_id: id
    client_secret: s
  - user: alice
    password_sha256: abc
    client_id: ""
    client_secret: s
    admin: "yes"
  - user: "a:b"
    password: p
  - plain-string
  - password: p
    password_env: PW
    client_id: id
    client_secret: s
    client_secret_file: /x
    api_key: k
    api_key_env: K
    api_key_file: /k
)");
  CHECK(errors_of(r) ==
        "t.yaml:9: clients[1].user: duplicate user (first at line 5)\n"
        "t.yaml:10: clients[1].password_sha256: expected 64 hexadecimal characters\n"
        "t.yaml:11: clients[1].client_id: must not be empty\n"
        "t.yaml:13: clients[1].admin: expected true or false, got a quoted string\n"
        "t.yaml:14: clients[2].user: must not contain ':' (Basic user-ids cannot)\n"
        "t.yaml:14: clients[2].client_id: required key is missing\n"
        "t.yaml:14: clients[2]: one of client_secret, client_secret_env, client_secret_file is required\n"
        "t.yaml:16: clients[3]: expected a mapping, got a string\n"
        "t.yaml:17: clients[4].user: required key is missing\n"
        "t.yaml:18: clients[4]: set only one of password, password_sha256, password_env, password_file "
        "(found password and password_env)\n"
        "t.yaml:21: clients[4]: set only one of client_secret, client_secret_env, client_secret_file "
        "(found client_secret and client_secret_file)\n"
        "t.yaml:23: clients[4]: set only one of api_key, api_key_env, api_key_file "
        "(found api_key, api_key_env and api_key_file)\n");
}

TEST_CASE("password_sha256 needs exactly 64 hex digits") {
  const std::string good(64, 'a');
  const std::string bad = std::string(63, 'a') + "g";
  auto doc = [&](const std::string& hash) {
    return std::string(upstream_yaml) + "clients:\n  - user: u\n    password_sha256: " + hash +
           "\n    client_id: id\n    client_secret: s\n";
  };
  CHECK(load_config_text(doc(good)).errors.empty());
  CHECK(errors_of(load_config_text(doc(bad))) ==
        "t.yaml:6: clients[0].password_sha256: expected 64 hexadecimal characters\n");
  CHECK(errors_of(load_config_text(doc(good + "a"))) ==
        "t.yaml:6: clients[0].password_sha256: expected 64 hexadecimal characters\n");
}

TEST_CASE("URLs: scheme, host, no credentials, no query or fragment") {
  auto doc = [](const std::string& base, const std::string& token) {
    return "upstream:\n  base_url: " + base + "\n  token_url: " + token +
           "\nbasic_as_client_credentials: { enabled: true }\n";
  };
  CHECK(errors_of(load_config_text(doc("ftp://api.example.com", "https://u:p@id.example.com/t"))) ==
        "t.yaml:2: upstream.base_url: expected an http:// or https:// URL\n"
        "t.yaml:3: upstream.token_url: must not contain credentials (user:password@)\n");
  CHECK(errors_of(load_config_text(doc("https://api.example.com/v?x=1", "https://id.example.com/t#f"))) ==
        "t.yaml:2: upstream.base_url: must not have a query or fragment\n"
        "t.yaml:3: upstream.token_url: must not have a query or fragment\n");
  CHECK(errors_of(load_config_text(doc("https://", "api.example.com/token"))) ==
        "t.yaml:2: upstream.base_url: has no host\n"
        "t.yaml:3: upstream.token_url: expected an http:// or https:// URL\n");
  CHECK(errors_of(load_config_text(doc("https://h:0", "''"))) ==
        "t.yaml:2: upstream.base_url: has an invalid port (expected 1..65535)\n"
        "t.yaml:3: upstream.token_url: must not be empty\n");
}

TEST_CASE("base_url keeps its path prefix without the trailing slash; token_url is kept as is") {
  const load_result r = load_config_text(
      "upstream:\n  base_url: https://gw.example.com/powerclerk//\n  token_url: https://id.example.com/token/\n"
      "basic_as_client_credentials: { enabled: true }\n");
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->upstream.base_url == "https://gw.example.com/powerclerk");
  CHECK(r.value->upstream.token_url == "https://id.example.com/token/");
}

TEST_CASE("changed_since_offset must be [+-]HH:mm") {
  for (const char* bad : {"+5:00", "+24:00", "+00:60", "00:00", "+0000", "Z", "'+00:00 '"}) {
    CAPTURE(bad);
    const load_result r = load_config_text(
        std::string("upstream:\n  base_url: https://a.example\n  token_url: https://b.example\n"
                    "  changed_since_offset: ") +
        bad + "\nbasic_as_client_credentials: { enabled: true }\n");
    CHECK(errors_of(r) ==
          "t.yaml:4: upstream.changed_since_offset: expected a UTC offset [+-]HH:mm (e.g. +00:00 or -05:00)\n");
  }
}

TEST_CASE("routes: V1 method names and modes") {
  const load_result r = load_config_text(after_minimal(R"(routes:
  GetProjectDta: { mode: translate }
  GetForms: { mode: skip }
  GetPrograms: reject
  GetStatusList: {}
  SetProjectData: { mode: reject, why: x }
  NoSuchThing: { mode: reject }
)"));
  CHECK(errors_of(r) ==
        "t.yaml:10: routes.GetProjectDta: unknown V1 method (did you mean \"GetProjectData\"?)\n"
        "t.yaml:11: routes.GetForms.mode: expected translate or reject\n"
        "t.yaml:12: routes.GetPrograms: expected a mapping, got a string\n"
        "t.yaml:13: routes.GetStatusList.mode: required key is missing\n"
        "t.yaml:14: routes.SetProjectData.why: unknown key\n"
        "t.yaml:15: routes.NoSuchThing: unknown V1 method\n");
}

TEST_CASE("duplicate and non-string keys") {
  const load_result r = load_config_text(after_minimal(R"(listen:
  port: 1
  port: 2
? [a, b]
: 1
)"));
  CHECK(errors_of(r) ==
        "t.yaml:11: listen.port: duplicate key (first at line 10)\n"
        "t.yaml:12: mapping keys must be strings, got a list\n");
}

TEST_CASE("a YAML syntax error is one error with its line") {
  const load_result r = load_config_text("upstream:\n  base_url: [a, b\nlisten: {}\n");
  CHECK_FALSE(r.value);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path.empty());
  CHECK(r.errors[0].line == 3);
  CHECK(errors_of(r) == "t.yaml:3: YAML syntax error: end of sequence flow not found\n");
  CHECK(errors_of(load_config_text("a: b\n c: d\n")) == "t.yaml:2: YAML syntax error: illegal map value\n");
}

TEST_CASE("a document that is not a mapping") {
  CHECK(errors_of(load_config_text("- a\n- b\n")) == "t.yaml:1: expected a mapping, got a list\n");
  CHECK(errors_of(load_config_text("just text\n")) == "t.yaml:1: expected a mapping, got a string\n");
}

TEST_CASE("a config file that cannot be read is one error") {
  const load_result missing = load_config_file("/nonexistent/pcbridge.yaml");
  CHECK_FALSE(missing.value);
  CHECK(errors_of(missing) == "t.yaml: cannot read config file: No such file or directory\n");
  CHECK(errors_of(load_config_file("/")) == "t.yaml: cannot read config file: Is a directory\n");
}

TEST_CASE("several errors at once, in line order") {
  const load_result r = load_config_text(R"(log: { level: loud }
upstream:
  base_url: gopher://x
clients:
  - user: u
    password: p
    client_id: id
    client_secret: s
    admn: true
listen:
  port: big
)");
  CHECK(r.errors.size() == 5);
  CHECK(format_errors(r.errors, "/etc/pcbridge.yaml") ==
        "/etc/pcbridge.yaml:1: log.level: expected one of debug, info, warn, error\n"
        "/etc/pcbridge.yaml:2: upstream.token_url: required key is missing\n"
        "/etc/pcbridge.yaml:3: upstream.base_url: expected an http:// or https:// URL\n"
        "/etc/pcbridge.yaml:9: clients[0].admn: unknown key (did you mean \"admin\"?)\n"
        "/etc/pcbridge.yaml:11: listen.port: expected an integer\n");
}

TEST_CASE("format_errors: with and without line and path") {
  const std::vector<config_error> errors = {
      {"a.b", 3, "bad"}, {"a.c", 0, "worse"}, {"", 7, "syntax"}, {"", 0, "unreadable"}};
  CHECK(format_errors(errors, "f.yaml") ==
        "f.yaml:3: a.b: bad\nf.yaml: a.c: worse\nf.yaml:7: syntax\nf.yaml: unreadable\n");
  CHECK(format_errors({}, "f.yaml").empty());
}

}  // namespace
}  // namespace pcbridge::config
