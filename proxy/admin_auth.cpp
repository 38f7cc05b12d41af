#include "proxy/admin_auth.hpp"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <boost/beast/core/string.hpp>

namespace pcbridge::proxy {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool bearer_matches(std::string_view authorization, const admin_access& access) {
  if (!access.token_sha256) return false;
  authorization = trim_spaces(authorization);
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() || !boost::beast::iequals(authorization.substr(0, scheme.size()), scheme)) return false;
  const char after = authorization[scheme.size()];
  if (after != ' ' && after != '\t') return false;
  const std::string_view token = trim_spaces(authorization.substr(scheme.size()));
  if (token.empty()) return false;
  std::array<unsigned char, 32> digest{};
  if (SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data()) == nullptr) return false;
  return CRYPTO_memcmp(digest.data(), access.token_sha256->data(), digest.size()) == 0;
}

bool is_loopback_address(const std::string& address) {
  unsigned char v4[4];
  if (inet_pton(AF_INET, address.c_str(), v4) == 1) return v4[0] == 127;
  return address == "::1";
}

}  // namespace pcbridge::proxy
