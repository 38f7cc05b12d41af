// clients (legacy Basic identities -> V2 credentials) and basic_as_client_credentials.
#include <array>
#include <cctype>
#include <map>

#include "config/secrets.hpp"
#include "config/sections.hpp"

namespace pcbridge::config::detail {
namespace {

constexpr std::array<std::string_view, 4> password_keys = {"password", "password_sha256",
                                                           "password_env", "password_file"};
constexpr std::array<std::string_view, 3> client_secret_keys = {"client_secret", "client_secret_env",
                                                                "client_secret_file"};
constexpr std::array<std::string_view, 3> api_key_keys = {"api_key", "api_key_env", "api_key_file"};

std::optional<std::array<unsigned char, 32>> parse_sha256_hex(std::string_view hex) {
  std::array<unsigned char, 32> out{};
  if (hex.size() != 64) return std::nullopt;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(hex[i])));
    int nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    out[i / 2] = static_cast<unsigned char>(out[i / 2] | (i % 2 == 0 ? nibble << 4 : nibble));
  }
  return out;
}

// The password's SHA-256, from a hash given as hex or from the plain password (wiped after).
std::optional<std::array<unsigned char, 32>> read_password(map_reader& m,
                                                           const std::filesystem::path& base_dir,
                                                           diagnostics& diag) {
  auto chosen = pick_one(m, password_keys, true, diag);
  if (!chosen) return std::nullopt;
  const auto& [key, f] = *chosen;
  if (key == "password_sha256") {
    std::optional<std::string> hex = read_string(f, diag);
    if (!hex) return std::nullopt;
    auto digest = parse_sha256_hex(*hex);
    if (!digest) diag.add(f.path, f.line, "expected 64 hexadecimal characters");
    return digest;
  }
  std::optional<std::string> plain = resolve_secret(key, f, base_dir, diag);
  if (!plain) return std::nullopt;
  auto digest = sha256(*plain);
  wipe(*plain);
  return digest;
}

std::optional<std::string> read_optional_api_key(map_reader& m, const std::filesystem::path& base_dir,
                                                 diagnostics& diag) {
  auto chosen = pick_one(m, api_key_keys, false, diag);
  if (!chosen) return std::nullopt;
  return resolve_secret(chosen->first, chosen->second, base_dir, diag);
}

void read_admin(map_reader& m, bool& out, diagnostics& diag) {
  if (auto f = m.get("admin")) {
    if (auto value = read_bool(*f, diag)) out = *value;
  }
}

}  // namespace

std::size_t read_clients(const field& f, std::vector<client_config>& out,
                         const std::filesystem::path& base_dir, diagnostics& diag) {
  const std::vector<field> items = read_list(f, diag);
  std::map<std::string, int> first_line_of_user;
  for (const field& item : items) {
    map_reader m(item, diag);
    if (!m.is_mapping()) continue;
    // Invalid values are left at their defaults: any error fails the whole load anyway.
    client_config c;
    if (auto user = m.require("user")) {
      if (auto name = read_nonempty_string(*user, diag)) {
        if (name->find(':') != std::string::npos) {
          diag.add(user->path, user->line, "must not contain ':' (Basic user-ids cannot)");
        } else if (auto [first, inserted] = first_line_of_user.emplace(*name, user->line); !inserted) {
          diag.add(user->path, user->line, "duplicate user (first at line " + std::to_string(first->second) + ")");
        }
        c.user = *name;
        c.user_sha256 = sha256(*name);
      }
    }
    if (auto digest = read_password(m, base_dir, diag)) c.password_sha256 = *digest;
    if (auto id = m.require("client_id")) {
      if (auto value = read_nonempty_string(*id, diag)) c.client_id = *value;
    }
    if (auto secret = pick_one(m, client_secret_keys, true, diag)) {
      if (auto value = resolve_secret(secret->first, secret->second, base_dir, diag)) c.client_secret = *value;
    }
    c.api_key = read_optional_api_key(m, base_dir, diag);
    read_admin(m, c.admin, diag);
    m.finish();
    out.push_back(std::move(c));
  }
  return items.size();
}

void read_passthrough(const field& f, passthrough_config& out, const std::filesystem::path& base_dir,
                      diagnostics& diag) {
  map_reader m(f, diag);
  if (auto enabled = m.get("enabled")) {
    if (auto value = read_bool(*enabled, diag)) out.enabled = *value;
  }
  out.api_key = read_optional_api_key(m, base_dir, diag);
  read_admin(m, out.admin, diag);
  m.finish();
}

}  // namespace pcbridge::config::detail
