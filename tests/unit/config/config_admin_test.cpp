// admin.token / token_env / token_file and the non-loopback warning.
#include <doctest/doctest.h>

#include <filesystem>

#include "config_test_util.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;

std::string with(const std::string& rest) { return std::string(test::minimal_yaml) + rest; }

constexpr const char* token = "0123456789abcdef-admin-TOKEN";

TEST_CASE("admin.token, token_env and token_file all yield the token's SHA-256") {
  const auto want = sha256(token);
  const load_result inline_token = load_config_text(with(std::string("admin: { token: ") + token + " }\n"));
  REQUIRE_MESSAGE(inline_token.value, errors_of(inline_token));
  REQUIRE(inline_token.value->admin->token_sha256);
  CHECK(*inline_token.value->admin->token_sha256 == want);

  test::scoped_env env("PCBRIDGE_TEST_ADMIN_TOKEN", token);
  const load_result from_env = load_config_text(with("admin: { token_env: PCBRIDGE_TEST_ADMIN_TOKEN }\n"));
  REQUIRE_MESSAGE(from_env.value, errors_of(from_env));
  CHECK(*from_env.value->admin->token_sha256 == want);

  test::temp_file file(std::string(token) + "\n");  // the trailing newline of `echo` is not part of it
  const load_result from_file = load_config_text(with("admin:\n  token_file: " + file.path() + "\n"));
  REQUIRE_MESSAGE(from_file.value, errors_of(from_file));
  CHECK(*from_file.value->admin->token_sha256 == want);

  const load_result none = load_config_text(with("admin: { port: 9901 }\n"));
  REQUIRE(none.value);
  CHECK_FALSE(none.value->admin->token_sha256);
}

TEST_CASE("admin token errors name the key, never the token") {
  CHECK(errors_of(load_config_text(with("admin: { token: short-LEAK }\n"))) ==
        "t.yaml:9: admin.token: the admin token must be at least 16 characters (e.g. the output of `openssl rand "
        "-hex 32`)\n");
  CHECK(errors_of(load_config_text(with("admin: { token: \"0123456789 LEAK abcdef\" }\n"))) ==
        "t.yaml:9: admin.token: the admin token may hold only visible ASCII characters (it travels in an HTTP "
        "header)\n");
  CHECK(errors_of(load_config_text(with(std::string("admin: { token: ") + token + ", token_env: X }\n"))) ==
        "t.yaml:9: admin: set only one of token, token_env, token_file (found token and token_env)\n");
  CHECK(errors_of(load_config_text(with("admin: { token_env: PCBRIDGE_TEST_UNSET_VAR }\n"))) ==
        "t.yaml:9: admin.token_env: environment variable \"PCBRIDGE_TEST_UNSET_VAR\" is not set\n");
  CHECK(errors_of(load_config_text(with("admin: { token_file: /nonexistent/admin-token }\n"))) ==
        "t.yaml:9: admin.token_file: cannot read \"/nonexistent/admin-token\": No such file or directory\n");
  CHECK(errors_of(load_config_text(with("admin: { tokn: x }\n"))).find("admin.tokn: unknown key (did you mean "
                                                                      "\"token\"?)") != std::string::npos);
  for (const char* bad : {"admin: { token: short-LEAK }\n", "admin: { token: \"0123456789 LEAK abcdef\" }\n"})
    CHECK(errors_of(load_config_text(with(bad))).find("LEAK") == std::string::npos);
}

TEST_CASE("a non-loopback admin listener without a token is valid but warned about") {
  const load_result open = load_config_text(with("admin: { address: 0.0.0.0, port: 9901 }\n"));
  REQUIRE(open.value);
  CHECK(format_warnings(open.warnings, "t.yaml") ==
        "t.yaml:9: admin.address: warning: the admin listener is not on loopback and has no admin.token: anyone "
        "who reaches it can read /metrics, and /admin/usage and the dashboard data are refused (they name "
        "clients); set admin.token_file or admin.token_env\n");
  for (const std::string& quiet : {std::string("admin: { address: 0.0.0.0, token: ") + token + " }\n",
                                  std::string("admin: { address: 127.0.0.1 }\n"), std::string("admin: { address: \"::1\" }\n"),
                                  std::string("listen: { port: 8081 }\n")}) {
    CAPTURE(quiet);
    const load_result r = load_config_text(with(quiet));
    REQUIRE_MESSAGE(r.value, errors_of(r));
    CHECK(r.warnings.empty());
  }
  // An invalid document carries its errors only.
  const load_result invalid = load_config_text(with("admin: { address: 0.0.0.0, port: -1 }\n"));
  CHECK_FALSE(invalid.value);
  CHECK(invalid.warnings.empty());
}

}  // namespace
}  // namespace pcbridge::config

namespace pcbridge::config {
namespace {

TEST_CASE("usage: state_file and flush_interval_s") {
  const load_result defaults = load_config_text(with(""));
  REQUIRE(defaults.value);
  CHECK(defaults.value->usage.state_file.empty());
  CHECK(defaults.value->usage.flush_interval_s == 10);

  const std::string dir = std::filesystem::temp_directory_path().string();
  const load_result set = load_config_text(with("usage: { state_file: " + dir + "/u.json, flush_interval_s: 2 }\n"));
  REQUIRE_MESSAGE(set.value, errors_of(set));
  CHECK(set.value->usage.state_file == dir + "/u.json");
  CHECK(set.value->usage.flush_interval_s == 2);

  // Relative to the config file's directory.
  const load_result relative = load_config_text(with("usage: { state_file: u.json }\n"), dir + "/pcbridge.yaml");
  REQUIRE_MESSAGE(relative.value, errors_of(relative));
  CHECK(relative.value->usage.state_file == dir + "/u.json");

  CHECK(errors_of(load_config_text(with("usage: { state_file: /nonexistent-dir/u.json }\n"))) ==
        "t.yaml:9: usage.state_file: directory \"/nonexistent-dir\" does not exist\n");
  CHECK(errors_of(load_config_text(with("usage: { flush_interval_s: 0 }\n"))) ==
        "t.yaml:9: usage.flush_interval_s: must be between 1 and 3600\n");
  CHECK(errors_of(load_config_text(with("usage: { statefile: x }\n"))).find("usage.statefile: unknown key") !=
        std::string::npos);
}

}  // namespace
}  // namespace pcbridge::config
