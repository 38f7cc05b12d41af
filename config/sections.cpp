// listen, upstream, routes and log (clients and basic_as_client_credentials: clients.cpp).
#include "config/sections.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <climits>
#include <vector>

#include "config/files.hpp"
#include "config/secrets.hpp"
#include "config/suggest.hpp"
#include "config/url.hpp"
#include "translators/method.hpp"

namespace pcbridge::config::detail {
namespace {

constexpr long long min_limit_bytes = 1024;
constexpr std::size_t min_admin_token_chars = 16;

bool is_ip_literal(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_two_digits(std::string_view s, int max) {
  return s.size() == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
         (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

// [+-]HH:mm with HH 00..23 and mm 00..59.
bool is_utc_offset(std::string_view s) {
  return s.size() == 6 && (s[0] == '+' || s[0] == '-') && is_two_digits(s.substr(1, 2), 23) &&
         s[3] == ':' && is_two_digits(s.substr(4, 2), 59);
}

template <class T>
void set_integer(map_reader& m, std::string_view key, long long min, long long max, T& out,
                 diagnostics& diag) {
  if (auto f = m.get(key)) {
    if (auto n = read_integer(*f, min, max, diag)) out = static_cast<T>(*n);
  }
}

std::optional<std::string> read_url(map_reader& m, std::string_view key, bool strip_trailing_slash,
                                    diagnostics& diag) {
  std::optional<field> f = m.require(key);
  if (!f) return std::nullopt;
  std::optional<std::string> text = read_nonempty_string(*f, diag);
  if (!text) return std::nullopt;
  url_check checked = check_http_url(*text, strip_trailing_slash);
  if (!checked.error.empty()) {
    diag.add(f->path, f->line, checked.error);
    return std::nullopt;
  }
  return checked.url;
}

}  // namespace

namespace {

void read_address(map_reader& m, std::string& out, diagnostics& diag) {
  if (auto a = m.get("address")) {
    if (auto text = read_nonempty_string(*a, diag)) {
      if (is_ip_literal(*text)) {
        out = *text;
      } else {
        diag.add(a->path, a->line, "expected an IPv4 or IPv6 address (e.g. 127.0.0.1 or ::1)");
      }
    }
  }
}

std::optional<std::string> read_readable_file(map_reader& m, std::string_view key,
                                              const std::filesystem::path& base_dir, diagnostics& diag) {
  std::optional<field> f = m.require(key);
  if (!f) return std::nullopt;
  std::optional<std::string> name = read_nonempty_string(*f, diag);
  if (!name) return std::nullopt;
  const std::filesystem::path path = resolve_path(base_dir, *name);
  std::string error;
  if (!file_is_readable(path, error)) {
    diag.add(f->path, f->line, "cannot read \"" + path.string() + "\": " + error);
    return std::nullopt;
  }
  return path.string();
}

bool is_loopback(const std::string& address) {
  unsigned char v4[4];
  if (inet_pton(AF_INET, address.c_str(), v4) == 1) return v4[0] == 127;
  return address == "::1";
}

}  // namespace

void read_listen(const field& f, listen_config& out, const std::filesystem::path& base_dir, diagnostics& diag) {
  map_reader m(f, diag);
  read_address(m, out.address, diag);
  set_integer(m, "port", 0, 65535, out.port, diag);
  set_integer(m, "max_body_bytes", min_limit_bytes, LLONG_MAX, out.max_body_bytes, diag);
  set_integer(m, "max_header_bytes", min_limit_bytes, LLONG_MAX, out.max_header_bytes, diag);
  if (auto f = m.get("max_buffered_body_bytes")) {
    // Below max_body_bytes a body of the allowed size could never be accepted.
    const long long floor = static_cast<long long>(std::max<std::size_t>(min_limit_bytes, out.max_body_bytes));
    if (auto n = read_integer(*f, floor, LLONG_MAX, diag)) out.max_buffered_body_bytes = static_cast<std::size_t>(*n);
  }
  set_integer(m, "header_timeout_ms", 1, INT_MAX, out.header_timeout_ms, diag);
  set_integer(m, "idle_timeout_ms", 1, INT_MAX, out.idle_timeout_ms, diag);
  set_integer(m, "max_connections", 1, 1000000, out.max_connections, diag);
  if (auto tls = m.get("tls")) {
    map_reader t(*tls, diag);
    auto cert = read_readable_file(t, "cert_file", base_dir, diag);
    auto key = read_readable_file(t, "key_file", base_dir, diag);
    if (cert && key) out.tls = tls_files{*cert, *key};
    t.finish();
  }
  if (auto plain = m.get("allow_plaintext")) {
    if (auto b = read_bool(*plain, diag)) out.allow_plaintext = *b;
  }
  m.finish();
}

void check_listen_security(const field& listen, const listen_config& cfg, diagnostics& diag) {
  // Basic credentials must never cross a network in clear text.
  if (!cfg.tls && !cfg.allow_plaintext && !is_loopback(cfg.address)) {
    diag.add(child_path(listen.path, "address"), listen.line,
             "a non-loopback address needs listen.tls (Basic credentials must not cross a network in clear "
             "text); set listen.allow_plaintext: true only behind a TLS-terminating proxy");
  }
}

void read_rate_limit(const field& f, rate_limit_config& out, const std::filesystem::path& base_dir,
                     diagnostics& diag) {
  static constexpr std::array<std::string_view, 2> backends = {"memory", "redis"};
  static constexpr std::array<std::string_view, 3> url_keys = {"redis_url", "redis_url_env", "redis_url_file"};
  map_reader m(f, diag);
  if (auto backend = m.get("backend")) {
    if (auto index = read_choice(*backend, backends, diag))
      out.backend = *index == 0 ? rate_limit_config::backend_kind::memory : rate_limit_config::backend_kind::redis;
  }
  const bool redis = out.backend == rate_limit_config::backend_kind::redis;
  // The URL may carry a password: it is read like any other secret.
  if (auto chosen = pick_one(m, url_keys, redis, diag)) {
    const auto& [key, value] = *chosen;
    if (auto url = resolve_secret(key, value, base_dir, diag)) {
      const bool scheme_ok = url->rfind("redis://", 0) == 0 && url->size() > 8;
      if (!scheme_ok) {
        diag.add(value.path, value.line, "expected a redis://[:password@]host:port[/db] URL");
      } else {
        out.redis_url = *url;
      }
      wipe(*url);
    }
  }
  m.finish();
}

void read_usage(const field& f, usage_config& out, const std::filesystem::path& base_dir, diagnostics& diag) {
  map_reader m(f, diag);
  if (auto file = m.get("state_file")) {
    if (auto name = read_nonempty_string(*file, diag)) {
      const std::filesystem::path path = resolve_path(base_dir, *name);
      std::error_code ec;
      const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
      if (!std::filesystem::is_directory(dir, ec)) {
        diag.add(file->path, file->line, "directory \"" + dir.string() + "\" does not exist");
      } else {
        out.state_file = path.string();
      }
    }
  }
  set_integer(m, "flush_interval_s", 1, 3600, out.flush_interval_s, diag);
  m.finish();
}

void read_admin(const field& f, admin_config& out, const std::filesystem::path& base_dir, diagnostics& diag) {
  static constexpr std::array<std::string_view, 3> token_keys = {"token", "token_env", "token_file"};
  map_reader m(f, diag);
  read_address(m, out.address, diag);
  set_integer(m, "port", 0, 65535, out.port, diag);
  if (auto chosen = pick_one(m, token_keys, false, diag)) {
    const auto& [key, value] = *chosen;
    if (auto token = resolve_secret(key, value, base_dir, diag)) {
      const bool visible = std::all_of(token->begin(), token->end(), [](char c) { return c > ' ' && c < 0x7f; });
      if (token->size() < min_admin_token_chars) {
        diag.add(value.path, value.line,
                 "the admin token must be at least " + std::to_string(min_admin_token_chars) +
                     " characters (e.g. the output of `openssl rand -hex 32`)");
      } else if (!visible) {
        diag.add(value.path, value.line,
                 "the admin token may hold only visible ASCII characters (it travels in an HTTP header)");
      } else {
        out.token_sha256 = sha256(*token);
      }
      wipe(*token);
    }
  }
  m.finish();
}

void check_admin_security(const field& admin, const admin_config& cfg, std::vector<config_error>& warnings) {
  if (cfg.token_sha256 || is_loopback(cfg.address)) return;
  warnings.push_back({child_path(admin.path, "address"), admin.line,
                      "the admin listener is not on loopback and has no admin.token: anyone who reaches it can "
                      "read /metrics, and /admin/usage and the dashboard data are refused (they name clients); "
                      "set admin.token_file or admin.token_env"});
}

void read_upstream(const field& f, upstream_config& out, const std::filesystem::path& base_dir,
                   diagnostics& diag) {
  map_reader m(f, diag);
  if (auto url = read_url(m, "base_url", true, diag)) out.base_url = *url;
  if (auto url = read_url(m, "token_url", false, diag)) out.token_url = *url;
  set_integer(m, "timeout_ms", 1, INT_MAX, out.timeout_ms, diag);
  set_integer(m, "operations_per_minute", 1, 100000, out.operations_per_minute, diag);
  if (auto ca = m.get("ca_file")) {
    if (auto name = read_nonempty_string(*ca, diag)) {
      const std::filesystem::path path = resolve_path(base_dir, *name);
      std::string error;
      if (file_is_readable(path, error)) {
        out.ca_file = path.string();
      } else {
        diag.add(ca->path, ca->line, "cannot read \"" + path.string() + "\": " + error);
      }
    }
  }
  if (auto offset = m.get("changed_since_offset")) {
    if (auto text = read_string(*offset, diag)) {
      if (is_utc_offset(*text)) {
        out.changed_since_offset = *text;
      } else {
        diag.add(offset->path, offset->line, "expected a UTC offset [+-]HH:mm (e.g. +00:00 or -05:00)");
      }
    }
  }
  set_integer(m, "token_refresh_margin_s", 0, 86400, out.token_refresh_margin_s, diag);
  set_integer(m, "max_response_bytes", min_limit_bytes, LLONG_MAX, out.max_response_bytes, diag);
  set_integer(m, "max_queue", 0, 1000000, out.max_queue, diag);
  set_integer(m, "max_wait_ms", 1, INT_MAX, out.max_wait_ms, diag);
  set_integer(m, "burst", 1, 100000, out.burst, diag);
  set_integer(m, "rate_window_ms", 100, 3600000, out.rate_window_ms, diag);
  set_integer(m, "metadata_cache_ttl_s", 0, 86400, out.metadata_cache_ttl_s, diag);
  set_integer(m, "schema_cache_ttl_s", 0, 86400, out.schema_cache_ttl_s, diag);
  m.finish();
}

void read_routes(const field& f, std::map<std::string, route_mode>& out, diagnostics& diag) {
  using translators::method_id;
  std::vector<std::string_view> names;
  for (int i = 0; i < translators::method_count; ++i) {
    names.push_back(translators::method_name(static_cast<method_id>(i)));
  }
  static constexpr std::array<std::string_view, 2> modes = {"translate", "reject"};
  static constexpr std::array<route_mode, 2> mode_values = {route_mode::translate, route_mode::reject};

  map_reader m(f, diag);
  for (auto& [name, value] : m.take_all()) {
    if (!translators::method_from_name(name)) {
      std::string message = "unknown V1 method";
      if (auto near = closest_match(name, names)) message += " (did you mean \"" + std::string(*near) + "\"?)";
      diag.add(value.path, value.line, std::move(message));
      continue;
    }
    map_reader route(value, diag);
    if (auto mode = route.require("mode")) {
      if (auto index = read_choice(*mode, modes, diag)) {
        out[name] = mode_values[*index];
      }
    }
    route.finish();
  }
  m.finish();
}

void read_log(const field& f, log_config& out, diagnostics& diag) {
  static constexpr std::array<std::string_view, 2> formats = {"text", "json"};
  static constexpr std::array<std::string_view, 4> levels = {"debug", "info", "warn", "error"};
  using format_kind = log_config::format_kind;
  using level_kind = log_config::level_kind;
  static constexpr std::array<format_kind, 2> format_values = {format_kind::text, format_kind::json};
  static constexpr std::array<level_kind, 4> level_values = {level_kind::debug, level_kind::info,
                                                            level_kind::warn, level_kind::error};
  map_reader m(f, diag);
  if (auto format = m.get("format")) {
    if (auto index = read_choice(*format, formats, diag)) {
      out.format = format_values[*index];
    }
  }
  if (auto level = m.get("level")) {
    if (auto index = read_choice(*level, levels, diag)) {
      out.level = level_values[*index];
    }
  }
  if (auto access = m.get("access")) {
    if (auto b = read_bool(*access, diag)) out.access = *b;
  }
  set_integer(m, "flush_interval_ms", 1, 10000, out.flush_interval_ms, diag);
  m.finish();
}

}  // namespace pcbridge::config::detail
