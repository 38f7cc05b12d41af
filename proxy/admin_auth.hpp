#pragma once
// Who may read the admin listener. With admin.token set, every route but the probes
// (/healthz, /readyz) and the dashboard's static page needs "Authorization: Bearer <token>".
// Without a token, a loopback listener is open as before; a non-loopback one still serves
// /metrics but refuses the routes that name clients (/admin/usage and the dashboard data,
// 403), because anyone on the network could read them (config warns about this setup).
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

struct admin_access {
  std::optional<std::array<unsigned char, 32>> token_sha256;  // admin.token's SHA-256; none: no token
  bool loopback = true;                                       // the admin listener's address is loopback
};

// Whether an Authorization header value is "Bearer <token>" with the configured token
// (scheme case-insensitive, spaces around the token ignored). Compares SHA-256 digests with
// CRYPTO_memcmp, so the time taken does not depend on how much of the token matched.
// False when no token is configured.
bool bearer_matches(std::string_view authorization, const admin_access& access);

// 127.0.0.0/8 or ::1 (an IP literal, as the config validates it).
bool is_loopback_address(const std::string& address);

}  // namespace pcbridge::proxy
