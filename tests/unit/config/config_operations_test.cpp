// Keys for quota, operations and cutover: defaults, valid values and their errors.
#include <doctest/doctest.h>

#include "config_test_util.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;

std::string with(const std::string& rest) { return std::string(test::minimal_yaml) + rest; }

TEST_CASE("operations keys have their documented defaults") {
  const load_result r = load_config_text(test::minimal_yaml);
  REQUIRE(r.value);
  const config& c = *r.value;
  CHECK(c.upstream.max_queue == 1000);
  CHECK(c.upstream.max_wait_ms == 120000);
  CHECK(c.upstream.burst == 5);
  CHECK(c.upstream.rate_window_ms == 60000);
  CHECK(c.upstream.metadata_cache_ttl_s == 300);
  CHECK(c.upstream.schema_cache_ttl_s == 300);
  CHECK(c.listen.max_connections == 1024);
  CHECK_FALSE(c.listen.tls);
  CHECK_FALSE(c.listen.allow_plaintext);
  CHECK(c.rate_limit.backend == rate_limit_config::backend_kind::memory);
  CHECK_FALSE(c.admin);
  CHECK(c.drain_timeout_ms == 20000);
  CHECK_FALSE(c.native_v2);
}

TEST_CASE("operations keys are read") {
  test::temp_file cert("CERT"), key("KEY");
  const load_result r = load_config_text(with("listen:\n  address: 0.0.0.0\n  max_connections: 50\n  tls:\n    cert_file: " +
                                              cert.path() + "\n    key_file: " + key.path() +
                                              "\nrate_limit: { backend: redis, redis_url: redis://cache:6379/1 }\n"
                                              "admin: { address: 0.0.0.0, port: 9901 }\n"
                                              "drain_timeout_ms: 5000\nnative_v2: { enabled: true }\n"));
  REQUIRE_MESSAGE(r.value, errors_of(r));
  const config& c = *r.value;
  REQUIRE(c.listen.tls);
  CHECK(c.listen.tls->cert_file == cert.path());
  CHECK(c.listen.tls->key_file == key.path());
  CHECK(c.listen.max_connections == 50);
  CHECK(c.rate_limit.backend == rate_limit_config::backend_kind::redis);
  CHECK(c.rate_limit.redis_url == "redis://cache:6379/1");
  REQUIRE(c.admin);
  CHECK(c.admin->address == "0.0.0.0");
  CHECK(c.admin->port == 9901);
  CHECK(c.drain_timeout_ms == 5000);
  CHECK(c.native_v2);
}

TEST_CASE("plain HTTP on a non-loopback address is refused unless allowed") {
  CHECK(errors_of(load_config_text(with("listen: { address: 0.0.0.0 }\n"))) ==
        "t.yaml:9: listen.address: a non-loopback address needs listen.tls (Basic credentials must not cross a "
        "network in clear text); set listen.allow_plaintext: true only behind a TLS-terminating proxy\n");
  CHECK(load_config_text(with("listen: { address: 0.0.0.0, allow_plaintext: true }\n")).value);
  CHECK(load_config_text(with("listen: { address: 127.0.0.5 }\n")).value);
  CHECK(load_config_text(with("listen: { address: \"::1\" }\n")).value);
}

TEST_CASE("operations keys: errors name their key path") {
  CHECK(errors_of(load_config_text(with("rate_limit: { backend: redis }\n"))) ==
        "t.yaml:9: rate_limit: one of redis_url, redis_url_env, redis_url_file is required\n");
  CHECK(errors_of(load_config_text(with("rate_limit: { backend: disk }\n"))) ==
        "t.yaml:9: rate_limit.backend: expected memory or redis\n");
  CHECK(errors_of(load_config_text(with("rate_limit: { backend: redis, redis_url: http://x }\n"))) ==
        "t.yaml:9: rate_limit.redis_url: expected a redis://[:password@]host:port[/db] URL\n");
  CHECK(errors_of(load_config_text(with("listen:\n  tls: { cert_file: /nonexistent/c.pem }\n"))) ==
        "t.yaml:10: listen.tls.cert_file: cannot read \"/nonexistent/c.pem\": No such file or directory\n"
        "t.yaml:10: listen.tls.key_file: required key is missing\n");
  CHECK(errors_of(load_config_text(with("upstream_extra: 1\n"))).find("upstream_extra: unknown key") != std::string::npos);
  CHECK(errors_of(load_config_text(with("admin: { port: 70000 }\n"))) ==
        "t.yaml:9: admin.port: must be between 0 and 65535\n");
  CHECK(errors_of(load_config_text(with("native_v2: { enabled: maybe }\n"))) ==
        "t.yaml:9: native_v2.enabled: expected true or false\n");
}

TEST_CASE("a Redis URL with a password never appears in errors") {
  const load_result r = load_config_text(with("rate_limit: { backend: memory, redis_url: \"redis://:hunter2@h:1/x\", redis_url_env: X }\n"));
  CHECK_FALSE(r.value);
  CHECK(errors_of(r).find("hunter2") == std::string::npos);
}

}  // namespace
}  // namespace pcbridge::config
