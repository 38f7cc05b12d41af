// The log: section: access lines are their own switch.
#include <doctest/doctest.h>

#include "config_test_util.hpp"

using namespace pcbridge::config;
using namespace pcbridge::config::test;

namespace {
const std::string base = R"(upstream:
  base_url: http://127.0.0.1:9090
  token_url: http://127.0.0.1:9090/connect/token
clients:
  - { user: u, password: p, client_id: id, client_secret: s, api_key: k }
)";
}  // namespace

TEST_CASE("log: access defaults to on and is independent of level") {
  const load_result defaults = load_config_text(base);
  REQUIRE_MESSAGE(defaults.value, errors_of(defaults));
  CHECK(defaults.value->log.access);

  const load_result quiet = load_config_text(base + "log: { level: warn, access: true }\n");
  REQUIRE_MESSAGE(quiet.value, errors_of(quiet));
  CHECK(quiet.value->log.level == log_config::level_kind::warn);
  CHECK(quiet.value->log.access);

  const load_result off = load_config_text(base + "log: { level: debug, access: false }\n");
  REQUIRE_MESSAGE(off.value, errors_of(off));
  CHECK_FALSE(off.value->log.access);
}

TEST_CASE("log: a bad access value is reported with its line") {
  const load_result r = load_config_text(base + "log:\n  access: sometimes\n");
  CHECK_FALSE(r.value);
  CHECK(errors_of(r).find("t.yaml:7: log.access:") != std::string::npos);
}

TEST_CASE("log: flush_interval_ms defaults to 50 and is bounded to 1..10000") {
  const load_result defaults = load_config_text(base);
  REQUIRE_MESSAGE(defaults.value, errors_of(defaults));
  CHECK(defaults.value->log.flush_interval_ms == 50);
  const load_result set = load_config_text(base + "log: { flush_interval_ms: 10000 }\n");
  REQUIRE_MESSAGE(set.value, errors_of(set));
  CHECK(set.value->log.flush_interval_ms == 10000);
  for (const char* bad : {"0", "10001", "-5", "soon"}) {
    CAPTURE(bad);
    const load_result r = load_config_text(base + "log:\n  flush_interval_ms: " + bad + "\n");
    CHECK_FALSE(r.value);
    CHECK(errors_of(r).find("t.yaml:7: log.flush_interval_ms:") != std::string::npos);
  }
}
