// The token endpoint's answer (proxy/token_answer.hpp parse_token_answer). Input: byte 0
// selects the HTTP status (200 mostly, or 400, 401, 403, 500, 503, 302); the rest is the
// body. Invariants, from the header's contract: a token is taken only from a 200, is a
// usable header value and lives 1 s .. max_token_lifetime (so adding it to the steady
// clock cannot overflow); a refusal has a short, single-line, printable reason; a 401 or
// an invalid_client is a refusal.
#include <chrono>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "proxy/token_answer.hpp"

using namespace pcbridge::proxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr int statuses[] = {200, 200, 200, 200, 400, 401, 403, 500, 503, 302};
  const int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  const fetched_token t = parse_token_answer(body, status);
  if (t.ok) {
    FUZZ_CHECK(status == 200);
    FUZZ_CHECK(usable_token(t.access_token));
    FUZZ_CHECK(t.access_token.size() <= max_token_length);
    FUZZ_CHECK(body.find(t.access_token) != std::string_view::npos || body.find('\\') != std::string_view::npos);
    FUZZ_CHECK(t.expires_in >= std::chrono::seconds(1) && t.expires_in <= max_token_lifetime);
    FUZZ_CHECK(!t.credentials_rejected);
    const auto expires_at = std::chrono::steady_clock::now() + t.expires_in;  // UBSan: no overflow
    FUZZ_CHECK(expires_at > std::chrono::steady_clock::time_point{});
    return 0;
  }
  FUZZ_CHECK(!t.error.empty());
  FUZZ_CHECK(t.error.size() <= 1024);
  for (unsigned char c : t.error) FUZZ_CHECK(c >= 0x20 && c < 0x7F);
  if (status == 401) FUZZ_CHECK(t.credentials_rejected);
  return 0;
}
