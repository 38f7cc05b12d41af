#include "translators/v2_target.hpp"

#include <optional>
#include <string>

#include "translators/query.hpp"

namespace pcbridge::translators {

namespace {

// A segment encoded more often than this is refused outright: no V2 path needs it, and
// decoding must stay bounded.
constexpr int max_decode_rounds = 4;

failure bad_segment(std::string_view segment, std::string_view why) {
  return failure{400, "native V2 path segment \"" + quote_for_message(segment) + "\" is not allowed: " +
                          std::string(why)};
}

bool is_dot_segment(std::string_view s) {
  s = s.substr(0, s.find(';'));  // "..;x" is ".." to servers that strip path parameters
  return s == "." || s == "..";
}

// Why one decoded form of a segment could change the path's meaning; empty when it cannot.
std::string_view problem_of(std::string_view decoded) {
  if (is_dot_segment(decoded)) return "'.' and '..' segments are refused";
  for (unsigned char c : decoded) {
    if (c == '/' || c == '\\') return "it holds a slash or backslash";
    if (c < 0x20 || c == 0x7f) return "it holds a control character";
  }
  return {};
}

std::optional<failure> check_segment(std::string_view raw) {
  if (raw.empty()) return failure{400, "empty path segment ('//') in the native V2 path"};
  if (auto why = problem_of(raw); !why.empty()) return bad_segment(raw, why);
  auto decoded = percent_decode(raw);
  if (!decoded) return bad_segment(raw, "malformed percent-encoding");
  std::string current(raw);
  for (int round = 0; *decoded != current; ++round) {
    if (auto why = problem_of(*decoded); !why.empty()) return bad_segment(raw, why);
    if (round == max_decode_rounds) return bad_segment(raw, "percent-encoded too many times");
    current = std::move(*decoded);
    decoded = percent_decode(current);
    if (!decoded) break;  // a literal '%' after decoding: nothing more to decode
  }
  return std::nullopt;
}

}  // namespace

outcome<std::string_view> check_native_v2_target(std::string_view target) {
  if (target.find('#') != std::string_view::npos) {
    return failure{400, "a fragment ('#') is not allowed in the native V2 request target"};
  }
  const std::string_view path = target.substr(0, target.find('?'));
  if (!path.starts_with(native_v2_prefix) || path.size() == native_v2_prefix.size()) {
    return failure{400, "native V2 paths must name a resource under " + std::string(native_v2_prefix)};
  }
  std::string_view rest = path.substr(native_v2_prefix.size());
  if (rest.back() == '/') rest.remove_suffix(1);  // a trailing slash names nothing new
  while (true) {
    const auto slash = rest.find('/');
    if (auto bad = check_segment(rest.substr(0, slash))) return *bad;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return target;
}

}  // namespace pcbridge::translators
