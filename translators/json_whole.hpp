#pragma once
// nlohmann's parser for a whole V2 or token-endpoint answer, with the one gap closed that the
// fuzz_json_reader target found: nlohmann takes a NUL byte for the end of its input, so
// `{"a":1}\0junk` parses. A raw NUL is never valid JSON (RFC 8259 §7: control characters in
// strings are escaped; none may appear elsewhere), so such a text is refused before parsing.
#include <nlohmann/json.hpp>

#include <string_view>

namespace pcbridge::translators::json {

// The parsed value, or a discarded value (`is_discarded()`) for any invalid text.
inline nlohmann::json parse_whole(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace pcbridge::translators::json
