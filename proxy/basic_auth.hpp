#pragma once
// HTTP Basic credentials: parsing the Authorization header and checking them against
// the configured clients in constant time. Pure code (no I/O), unit-tested.
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace pcbridge::proxy {

struct basic_credentials {
  std::string user;
  std::string password;
};

// Parses "Basic <base64(user:password)>" (scheme case-insensitive, surrounding spaces
// tolerated). nullopt for any other scheme, bad base64, or no colon.
std::optional<basic_credentials> parse_basic_authorization(std::string_view header_value);

// The identity a request runs as once its Basic credentials are accepted.
struct identity {
  std::string user;
  std::string client_id;
  std::string client_secret;
  std::optional<std::string> api_key;  // configured key; else the client's X-ApiKey is used
  bool admin = false;
  // basic_as_client_credentials: the pair is the client's own claim, unproven until the
  // token endpoint accepts it (token_cache::trust::unproven).
  bool passthrough = false;
};

// Checks credentials against `cfg.clients` (password compared as SHA-256 digests with
// CRYPTO_memcmp; every entry is compared so timing does not reveal which user exists).
// With basic_as_client_credentials enabled and no client matching, the pair itself
// becomes the client id/secret (the token endpoint then decides).
std::optional<identity> authenticate(const config::config& cfg, const basic_credentials& creds);

}  // namespace pcbridge::proxy
