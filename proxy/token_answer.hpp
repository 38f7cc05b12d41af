#pragma once
// The token endpoint's answer, read by a pure function (no I/O, no Asio/Beast: fuzzed on
// its own, see fuzz targets). Contract of parse_token_answer:
// - ok only for status 200 with a JSON object whose access_token is a usable header value
//   (usable_token) and whose expires_in is usable (below);
// - expires_in: an integer, a finite float (3600.0; fractions dropped) or a string of
//   1-15 digits ("3600"); missing or null means the documented 3600 s; zero, negative or
//   any other shape is a failure; a usable value is clamped to [1 s, max_token_lifetime];
// - a failure always has a non-empty `error`: why, the status, and the endpoint's own
//   `error` code / `error_description` made single-line, printable and short. That text is
//   the endpoint's, so it may echo a secret: the token cache scrubs it (scrub_secrets)
//   before anyone shows it;
// - never throws, whatever the body.
#include <chrono>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

struct fetched_token {
  bool ok = false;
  std::string access_token;
  std::chrono::seconds expires_in{0};
  bool credentials_rejected = false;  // token endpoint said invalid_client / unauthorized_client / 401
  std::string error;                  // non-empty when !ok; scrubbed by the cache before it is shown
};

// Lifetimes above this are clamped (a day): 1e10 s would overflow the steady clock, and a
// token older than a day is refreshed anyway.
inline constexpr std::chrono::seconds max_token_lifetime{86400};
// Used when the answer has no expires_in (v2-api.md §2.3: 60 minutes).
inline constexpr std::chrono::seconds default_token_lifetime{3600};
// Longer tokens are refused: they would not fit a header upstream accepts.
inline constexpr std::size_t max_token_length = 8192;

// A token pcbridge may put in "Authorization: Bearer <token>": 1..max_token_length
// visible ASCII characters (0x21-0x7E). Anything else (CR/LF, spaces, controls, bytes
// >= 0x80) could split or corrupt the upstream request's header block.
bool usable_token(std::string_view token);

fetched_token parse_token_answer(std::string_view body, int status);

// x-www-form-urlencoded escaping (RFC 6749 appendix B): how the secret travels in the
// token request body, and so how an endpoint echoing that body shows it.
std::string form_encode(std::string_view value);

}  // namespace pcbridge::proxy
