#include "config/url.hpp"

#include <algorithm>
#include <cctype>

namespace pcbridge::config::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_host_name_char(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; }

bool is_ipv6_char(unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; }

bool is_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return false;
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  const long value = std::stol(std::string(digits));
  return value >= 1 && value <= 65535;
}

url_check refuse(std::string reason) { return url_check{{}, std::move(reason)}; }

}  // namespace

url_check check_http_url(std::string_view text, bool strip_trailing_slash) {
  if (std::any_of(text.begin(), text.end(),
                  [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    return refuse("must not contain whitespace or control characters");
  }
  const std::size_t scheme_end = text.find("://");
  const std::string scheme = scheme_end == std::string_view::npos ? "" : lower(text.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return refuse("expected an http:// or https:// URL");

  std::string_view rest = text.substr(scheme_end + 3);
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);

  if (authority.find('@') != std::string_view::npos) {
    return refuse("must not contain credentials (user:password@)");
  }
  if (tail.find_first_of("?#") != std::string_view::npos) return refuse("must not have a query or fragment");

  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return refuse("has an invalid host");
    const std::string_view inside = host.substr(1, close - 1);
    const std::string_view after = host.substr(close + 1);
    if (inside.empty() || !std::all_of(inside.begin(), inside.end(), is_ipv6_char)) return refuse("has an invalid host");
    if (!after.empty()) {
      if (after.front() != ':') return refuse("has an invalid host");
      port = after.substr(1);
      if (!is_port(port)) return refuse("has an invalid port (expected 1..65535)");
    }
  } else {
    const std::size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (!is_port(port)) return refuse("has an invalid port (expected 1..65535)");
    }
    if (host.empty()) return refuse("has no host");
    if (!std::all_of(host.begin(), host.end(), is_host_name_char)) return refuse("has an invalid host");
  }

  std::string url = scheme + "://" + std::string(authority) + std::string(tail);
  if (strip_trailing_slash) {
    const std::size_t prefix = scheme.size() + 3 + authority.size();
    while (url.size() > prefix && url.back() == '/') url.pop_back();
  }
  return url_check{std::move(url), {}};
}

}  // namespace pcbridge::config::detail
