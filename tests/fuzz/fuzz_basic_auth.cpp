// The Basic Authorization header parser (proxy/basic_auth). Invariants: what it accepts
// starts with the scheme "Basic" (any case) after optional blanks, the credentials hold the
// colon-split of a base64 payload no longer than the header allows, and the user holds no
// colon; re-encoding the credentials and parsing again gives them back unchanged.
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "proxy/basic_auth.hpp"

namespace {

std::string base64(std::string_view in) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 0x3F];
  }
  if (in.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(v >> 18) & 0x3F];
    out += alphabet[(v >> 12) & 0x3F];
    out += "==";
  } else if (in.size() - i == 2) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(v >> 18) & 0x3F];
    out += alphabet[(v >> 12) & 0x3F];
    out += alphabet[(v >> 6) & 0x3F];
    out += '=';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const auto creds = pcbridge::proxy::parse_basic_authorization(header);
  if (!creds) return 0;
  FUZZ_CHECK(creds->user.find(':') == std::string::npos);
  FUZZ_CHECK((creds->user.size() + 1 + creds->password.size()) * 4 / 3 <= size);
  std::string_view h = header;
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  FUZZ_CHECK(h.size() >= 5);
  for (std::size_t i = 0; i < 5; ++i) FUZZ_CHECK((h[i] | 0x20) == "basic"[i]);

  const auto again = pcbridge::proxy::parse_basic_authorization("Basic " + base64(creds->user + ":" + creds->password));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->user == creds->user && again->password == creds->password);
  return 0;
}
