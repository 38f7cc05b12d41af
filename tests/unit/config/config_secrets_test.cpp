// Secrets from the environment and from files; no secret ever appears in an error.
#include <doctest/doctest.h>

#include <filesystem>

#include "config_test_util.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;
using test::scoped_env;
using test::temp_file;

constexpr const char* upstream_yaml =
    "upstream:\n"
    "  base_url: https://api.example.com\n"
    "  token_url: https://id.example.com/connect/token\n";

// A document whose one client (lines 4-9) takes `password_line` / `secret_line` / `api_key_line`.
std::string client_doc(const std::string& password_line, const std::string& secret_line,
                       const std::string& api_key_line = "api_key: k") {
  return std::string(upstream_yaml) + "clients:\n  - user: u\n    " + password_line +
         "\n    client_id: id\n    " + secret_line + "\n    " + api_key_line + "\n";
}

TEST_CASE("secrets from environment variables") {
  scoped_env pw("PCBRIDGE_TEST_PW", "pw-from-env");
  scoped_env cs("PCBRIDGE_TEST_CS", "cs-from-env");
  scoped_env key("PCBRIDGE_TEST_KEY", "key-from-env");
  const load_result r = load_config_text(client_doc("password_env: PCBRIDGE_TEST_PW",
                                                    "client_secret_env: PCBRIDGE_TEST_CS",
                                                    "api_key_env: PCBRIDGE_TEST_KEY"));
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  const client_config& c = r.value->clients.at(0);
  CHECK(c.password_sha256 == sha256("pw-from-env"));
  CHECK(c.client_secret == "cs-from-env");
  CHECK(c.api_key == std::optional<std::string>("key-from-env"));
}

TEST_CASE("environment variables must exist, be non-empty and be valid names") {
  ::unsetenv("PCBRIDGE_TEST_UNSET");
  scoped_env empty("PCBRIDGE_TEST_EMPTY", "");
  const load_result r = load_config_text(client_doc("password_env: PCBRIDGE_TEST_UNSET",
                                                    "client_secret_env: PCBRIDGE_TEST_EMPTY",
                                                    "api_key_env: 1BAD-NAME"));
  CHECK(errors_of(r) ==
        "t.yaml:6: clients[0].password_env: environment variable \"PCBRIDGE_TEST_UNSET\" is not set\n"
        "t.yaml:8: clients[0].client_secret_env: environment variable \"PCBRIDGE_TEST_EMPTY\" is empty\n"
        "t.yaml:9: clients[0].api_key_env: expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)\n");
}

TEST_CASE("secrets from files, trailing newlines removed") {
  temp_file pw("pw-from-file\n");
  temp_file cs("cs-from-file\r\n");
  temp_file key("key from file");
  const load_result r = load_config_text(client_doc("password_file: " + pw.path(),
                                                    "client_secret_file: " + cs.path(),
                                                    "api_key_file: " + key.path()));
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  const client_config& c = r.value->clients.at(0);
  CHECK(c.password_sha256 == sha256("pw-from-file"));
  CHECK(c.client_secret == "cs-from-file");
  CHECK(c.api_key == std::optional<std::string>("key from file"));
}

TEST_CASE("secret files must be readable, non-empty and small") {
  temp_file empty("\n");
  temp_file huge(std::string(64 * 1024 + 1, 'x'));
  const load_result r = load_config_text(client_doc("password_file: /nonexistent/pw",
                                                    "client_secret_file: " + empty.path(),
                                                    "api_key_file: " + huge.path()));
  CHECK(errors_of(r) ==
        "t.yaml:6: clients[0].password_file: cannot read \"/nonexistent/pw\": No such file or directory\n"
        "t.yaml:8: clients[0].client_secret_file: file \"" + empty.path() + "\" is empty\n"
        "t.yaml:9: clients[0].api_key_file: file \"" + huge.path() + "\" is larger than 65536 bytes\n");
  temp_file exact(std::string(64 * 1024, 'y'));
  CHECK(load_config_text(client_doc("password: p", "client_secret_file: " + exact.path())).errors.empty());
}

TEST_CASE("relative secret paths are resolved against the config file's directory") {
  temp_file secret("cs-relative\n");
  const std::filesystem::path secret_path(secret.path());
  temp_file cfg(client_doc("password: p", "client_secret_file: " + secret_path.filename().string()), ".yaml");

  const load_result from_file = load_config_file(cfg.path());
  REQUIRE_MESSAGE(from_file.errors.empty(), errors_of(from_file));
  CHECK(from_file.value->clients.at(0).client_secret == "cs-relative");

  // With a file as origin, load_config_text resolves the same way.
  const std::string text = client_doc("password: p", "client_secret_file: " + secret_path.filename().string());
  CHECK(load_config_text(text, cfg.path()).errors.empty());
}

TEST_CASE("an origin in angle brackets leaves relative paths to the working directory") {
  const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  temp_file secret("cs-cwd\n");
  const std::string name = std::filesystem::path(secret.path()).filename().string();
  const load_result r = load_config_text(client_doc("password: p", "client_secret_file: " + name));
  std::filesystem::current_path(cwd);
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->clients.at(0).client_secret == "cs-cwd");
}

TEST_CASE("passthrough api_key may come from the environment") {
  scoped_env key("PCBRIDGE_TEST_PT_KEY", "pt-key");
  const load_result r = load_config_text(std::string(upstream_yaml) +
                                         "basic_as_client_credentials:\n  enabled: true\n"
                                         "  api_key_env: PCBRIDGE_TEST_PT_KEY\n");
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->basic_as_client_credentials.api_key == std::optional<std::string>("pt-key"));
}

TEST_CASE("the CA file must be readable and is stored resolved") {
  temp_file ca("-----BEGIN CERTIFICATE-----\n", ".pem");
  const std::filesystem::path ca_path(ca.path());
  temp_file cfg(std::string(upstream_yaml) + "  ca_file: " + ca_path.filename().string() +
                    "\nbasic_as_client_credentials: { enabled: true }\n",
                ".yaml");
  const load_result r = load_config_file(cfg.path());
  REQUIRE_MESSAGE(r.errors.empty(), errors_of(r));
  CHECK(r.value->upstream.ca_file == ca.path());

  const load_result missing = load_config_text(std::string(upstream_yaml) +
                                               "  ca_file: /nonexistent/ca.pem\n"
                                               "basic_as_client_credentials: { enabled: true }\n");
  CHECK(errors_of(missing) ==
        "t.yaml:4: upstream.ca_file: cannot read \"/nonexistent/ca.pem\": No such file or directory\n");
}

// Each secret value holds "LEAK"; every one of them sits where it causes an error.
TEST_CASE("no secret value appears in any error message") {
  scoped_env env_secret("PCBRIDGE_TEST_LEAK", "LEAK-env-value");
  temp_file big_secret(std::string(70000, 'L') + "LEAK-in-big-file");
  temp_file secret_file("LEAK-file-value\n");
  const std::string doc = R"(listen:
  port: LEAK-port
  address: LEAK-address
upstream:
  base_url: https://LEAK-user:LEAK-pass@api.example.com/p
  token_url: LEAK-token-url?secret=LEAK
  changed_since_offset: LEAK-offset
  ca_file: [LEAK-ca]
clients:
  - user: "LEAK:user"
    password: LEAK-password-1
    password_env: PCBRIDGE_TEST_LEAK
    client_id: [LEAK-id]
    client_secret: LEAK-client-secret
    client_secret_file: )" + secret_file.path() + R"(
    api_key: { LEAK-key: LEAK-value }
  - user: u2
    password_sha256: LEAK-hash-LEAK
    client_id: id
    client_secret: ""
    api_key_file: )" + big_secret.path() + R"(
    pasword: LEAK-typo
  - user: u3
    password_file: )" + secret_file.path() + R"(
    client_id: id
    client_secret_env: PCBRIDGE_TEST_LEAK
    admin: LEAK-bool
basic_as_client_credentials:
  enabled: LEAK-enabled
  api_key: [LEAK-pt]
routes:
  GetForms: { mode: LEAK-mode }
log: { format: LEAK-format, level: LEAK-level }
)";
  const load_result r = load_config_text(doc);
  CHECK(r.errors.size() >= 15);
  const std::string text = errors_of(r);
  CHECK_MESSAGE(text.find("LEAK") == std::string::npos, text);

  // Syntax errors do not quote the document either.
  const load_result syntax = load_config_text("clients:\n  - password: [LEAK-unterminated, LEAK\n");
  REQUIRE(syntax.errors.size() == 1);
  CHECK(errors_of(syntax).find("LEAK") == std::string::npos);
}

}  // namespace
}  // namespace pcbridge::config
