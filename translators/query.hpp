#pragma once
// V1 query string -> V2 query string (mapping.md §2). Pure; used by match_v1.
#include <optional>
#include <string>
#include <string_view>

#include "outcome.hpp"

namespace pcbridge::translators {

// Decodes %XX escapes. A '+' stays '+': only changed_since is decoded, and there a '+'
// is an offset sign (a '+' that became a space is repaired by normalize_changed_since).
// nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view raw);

// Escapes everything but unreserved characters and ':' ("+" -> "%2B").
std::string percent_encode_query_value(std::string_view value);

// `raw_query` is what follows '?', without it. Returns the V2 query without '?', empty
// when nothing is left: version/v/include_calculated_fields dropped, known parameters
// validated and written in V2 spelling, unknown ones passed through raw, order kept.
// 400 naming the parameter on a bad value or a known parameter given twice.
outcome<std::string> rewrite_v1_query(std::string_view raw_query, std::string_view default_offset);

// `value` cut to 64 characters, with anything but printable ASCII shown as '?', for
// quoting client input in an error message.
std::string quote_for_message(std::string_view value);

}  // namespace pcbridge::translators
