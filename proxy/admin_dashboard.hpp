#pragma once
// The dashboard's static files, served by the admin listener: "/" (index.html),
// "/dashboard.css" and "/dashboard.js", from proxy/dashboard/ embedded at build time
// (proxy/dashboard/embed.cmake). They hold no data: the page fetches /admin/usage and
// /admin/status (which need the admin token when one is set) and keeps the token the
// operator types in sessionStorage, sent as "Authorization: Bearer"; never in a URL. So the
// files themselves are served without the token, like the probes, and a browser can open
// the page to ask for it. Content-Security-Policy: only this origin (no CDN, no inline script).
#include <string_view>

namespace pcbridge::proxy {

struct dashboard_asset {
  std::string_view path;          // "/", "/dashboard.css", "/dashboard.js"
  std::string_view content_type;
  std::string_view body;
};

inline constexpr std::string_view dashboard_csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// nullptr for any other path (the query string already cut off).
const dashboard_asset* find_dashboard_asset(std::string_view path);

// In the generated source (embed.cmake): the bytes of proxy/dashboard/<name>; empty when unknown.
std::string_view embedded_dashboard_file(std::string_view name);

}  // namespace pcbridge::proxy
