#pragma once
// pcbridge's configuration: validated once at start-up into these immutable structs.
// proxy/ never sees YAML; it gets a `std::shared_ptr<const config>`.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "translators/compat_profile.hpp"

namespace pcbridge::config {

struct tls_files {
  std::string cert_file;                // PEM certificate chain
  std::string key_file;                 // PEM private key
};

struct listen_config {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;            // 0: pick a free port (tests)
  std::size_t max_body_bytes = 10 * 1024 * 1024;   // XML request bodies; 413 beyond
  std::size_t max_header_bytes = 16 * 1024;        // 431/400 beyond
  // Request-body bytes held in memory across all connections at once; 503 beyond.
  std::size_t max_buffered_body_bytes = 64 * 1024 * 1024;
  int header_timeout_ms = 10000;        // time to receive the request head
  int idle_timeout_ms = 60000;          // keep-alive idle time between requests
  std::size_t max_connections = 1024;   // client connections served at once; more wait in the backlog
  std::optional<tls_files> tls;         // HTTPS on the client-facing listener
  bool allow_plaintext = false;         // plain HTTP on a non-loopback address (refused otherwise)
};

struct upstream_config {
  std::string base_url;                 // V2 base, e.g. https://api.powerclerk.com
  std::string token_url;                // OAuth token endpoint
  int timeout_ms = 30000;               // one upstream exchange
  int operations_per_minute = 60;       // per API key
  std::string ca_file;                  // optional extra CA bundle for https
  std::string changed_since_offset = "+00:00";  // offset for a bare changed_since date
  int token_refresh_margin_s = 300;     // refresh this long before expiry
  std::size_t max_response_bytes = 64 * 1024 * 1024;  // JSON answers; 502 beyond
  std::size_t max_queue = 1000;         // requests waiting for their turn, per API key (429 beyond)
  int max_wait_ms = 120000;             // longest wait for a turn (429 when it would pass)
  int burst = 5;                        // operations allowed back-to-back after a quiet spell
  int rate_window_ms = 60000;           // the quota window (V2: one minute; smaller only for tests)
  int metadata_cache_ttl_s = 300;       // GetPrograms/GetForms/GetFormSchema/GetStatusList answers
  int schema_cache_ttl_s = 300;         // form schemas used to type Date/Boolean values
};

struct rate_limit_config {
  enum class backend_kind { memory, redis } backend = backend_kind::memory;
  std::string redis_url;                // redis://[:password@]host:port[/db] (backend redis)
};

struct admin_config {
  std::string address = "127.0.0.1";
  std::uint16_t port = 9901;
  // admin.token | token_env | token_file: when set, every admin route but /healthz, /readyz
  // and the dashboard's static page needs "Authorization: Bearer <token>". Only the
  // token's SHA-256 is kept (compared in constant time); the token itself is wiped on load.
  std::optional<std::array<unsigned char, 32>> token_sha256;
};

// The migration usage report's store (proxy/usage_store.hpp). With rate_limit.backend: redis
// the counts live in that Redis, shared by every replica; otherwise in `state_file` when
// set; with neither, in memory only (lost on restart).
struct usage_config {
  std::string state_file;               // absolute, or relative to the config file's directory
  int flush_interval_s = 10;            // and once more at shutdown
};

struct client_config {
  std::string user;
  std::array<unsigned char, 32> user_sha256{};      // computed on load: compared per request without rehashing
  std::array<unsigned char, 32> password_sha256{};  // plain passwords are hashed on load
  std::string client_id;
  std::string client_secret;
  std::optional<std::string> api_key;   // else the client's own X-ApiKey is forwarded
  bool admin = false;                   // SetProjectData writes non-draft .../Data
};

// Basic credentials used directly as OAuth client id/secret (no `clients` entry needed).
struct passthrough_config {
  bool enabled = false;
  std::optional<std::string> api_key;   // else the client's own X-ApiKey is forwarded
  bool admin = false;
};

enum class route_mode { translate, reject };

struct log_config {
  enum class format_kind { text, json } format = format_kind::text;
  enum class level_kind { debug, info, warn, error } level = level_kind::info;
  bool access = true;               // one line per request, whatever `level` is
  // Access lines are buffered and written at most this long after the first of a batch
  // (1..10000; a reload applies it to the next batch).
  int flush_interval_ms = 50;
};

struct config {
  listen_config listen;
  upstream_config upstream;
  std::vector<client_config> clients;
  passthrough_config basic_as_client_credentials;
  std::map<std::string, route_mode> routes;   // by V1 method name; absent = translate
  bool native_v2 = false;                     // forward /services/v2/... of migrated clients (token swap + quota)
  log_config log;
  rate_limit_config rate_limit;
  std::optional<admin_config> admin;    // health, readiness, metrics, usage report
  usage_config usage;
  int drain_timeout_ms = 20000;         // SIGTERM: finish in-flight and queued requests this long
  translators::compat_profile compat;   // `compat:` (mapping.md §8); defaults are mapping.md's
};

// One problem found while loading: `path` is the YAML key path ("clients[1].password"),
// `line` is 1-based (0 when unknown).
struct config_error {
  std::string path;
  int line = 0;
  std::string message;
};

struct load_result {
  std::shared_ptr<const config> value;       // null when errors is non-empty
  std::vector<config_error> errors;
  // Valid but risky settings (e.g. a non-loopback admin listener without a token); only
  // filled when the document is valid. Printed by --check-config and at start-up.
  std::vector<config_error> warnings;
};

// Reads, validates and resolves (secrets from *_env / *_file) a YAML document. Every error
// is collected (ordered by line); nothing throws. `origin` is the file the text came from:
// relative `*_file` and `ca_file` paths are resolved against its directory; an origin in
// angle brackets (the default "<text>") names no file, so they stay relative to the
// working directory. No error message quotes a value from the document, only key paths,
// variable names and file paths.
load_result load_config_file(const std::string& path);
load_result load_config_text(const std::string& yaml_text, const std::string& origin = "<text>");

// "origin:LINE: path: message" lines, one per error, each ending in '\n'. Without a line
// (line 0) "origin: path: message"; without a path (syntax errors, unreadable file)
// "origin:LINE: message".
std::string format_errors(const std::vector<config_error>& errors, const std::string& origin);
// As format_errors, each message prefixed with "warning: ".
std::string format_warnings(const std::vector<config_error>& warnings, const std::string& origin);

// SHA-256 of `text` (used for password checks; OpenSSL libcrypto). Throws
// std::runtime_error only if libcrypto cannot compute it.
std::array<unsigned char, 32> sha256(std::string_view text);

}  // namespace pcbridge::config
