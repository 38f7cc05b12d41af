#pragma once
// Request-target and form-body decoding (RFC 3986 percent-encoding; HTML form rules
// where a '+' stands for a space).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcbridge::sim {

using param_list = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes; `plus_is_space` also turns '+' into ' ' (query strings and form
// bodies). Returns nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// Parses `a=1&b=2` (query string or application/x-www-form-urlencoded body). A raw '+'
// decodes to a space, which is exactly what makes an unencoded `+08:00` offset invalid.
std::optional<param_list> parse_params(std::string_view s);

// First value named exactly `name`. Case-sensitive on purpose: ASP.NET would bind
// `autocommunication` too, but the sim exists to check that the proxy writes V2 spelling.
std::optional<std::string> find_param(const param_list& params, std::string_view name);

struct parsed_target {
  std::string path;                   // raw path, still encoded
  std::vector<std::string> segments;  // decoded path segments, without the leading empty one
  param_list query;                   // decoded query parameters
};

// Splits a request target into decoded path segments and query parameters.
std::optional<parsed_target> parse_target(std::string_view target);

}  // namespace pcbridge::sim
