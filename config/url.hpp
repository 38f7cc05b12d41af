#pragma once
// Checks the upstream URLs of the config (a small, strict subset of RFC 3986).
#include <string>
#include <string_view>

namespace pcbridge::config::detail {

struct url_check {
  std::string url;    // normalized (scheme lower-cased; trailing '/' removed when asked); empty on error
  std::string error;  // why the URL is refused; never quotes the URL (it may hold credentials)
};

// Accepts `http://` or `https://`, a host (name, IPv4 or [IPv6]), an optional port 1..65535
// and an optional path. Refuses userinfo (`u:p@`), a query, a fragment, whitespace and
// control characters.
url_check check_http_url(std::string_view text, bool strip_trailing_slash);

}  // namespace pcbridge::config::detail
