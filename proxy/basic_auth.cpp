#include "proxy/basic_auth.hpp"

#include <openssl/crypto.h>

#include <array>
#include <cctype>

namespace pcbridge::proxy {

namespace {

int base64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> decode_base64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      unsigned char c = static_cast<unsigned char>(in[i + k]);
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[k] = base64_value(c);
      if (v[k] < 0) return std::nullopt;
    }
    unsigned triple = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>((triple >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((triple >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(triple & 0xFF));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::optional<basic_credentials> parse_basic_authorization(std::string_view header_value) {
  std::string_view v = trim(header_value);
  auto space = v.find(' ');
  if (space == std::string_view::npos || !iequals(v.substr(0, space), "Basic")) return std::nullopt;
  auto decoded = decode_base64(trim(v.substr(space + 1)));
  if (!decoded) return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return basic_credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::optional<identity> authenticate(const config::config& cfg, const basic_credentials& creds) {
  const auto user_digest = config::sha256(creds.user);
  const auto password_digest = config::sha256(creds.password);
  const config::client_config* found = nullptr;
  for (const auto& client : cfg.clients) {
    // Compare digests of both fields for every entry: equal work whatever matches.
    bool user_ok = CRYPTO_memcmp(client.user_sha256.data(), user_digest.data(), 32) == 0;
    bool password_ok = CRYPTO_memcmp(client.password_sha256.data(), password_digest.data(), 32) == 0;
    if (user_ok && password_ok && found == nullptr) found = &client;
  }
  if (found != nullptr)
    return identity{found->user, found->client_id, found->client_secret, found->api_key, found->admin, false};
  const auto& passthrough = cfg.basic_as_client_credentials;
  if (passthrough.enabled && !creds.user.empty() && !creds.password.empty())
    return identity{creds.user, creds.user, creds.password, passthrough.api_key, passthrough.admin, true};
  return std::nullopt;
}

}  // namespace pcbridge::proxy
