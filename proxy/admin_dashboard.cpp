#include "proxy/admin_dashboard.hpp"

#include <array>

namespace pcbridge::proxy {

const dashboard_asset* find_dashboard_asset(std::string_view path) {
  static const std::array<dashboard_asset, 3> assets = {{
      {"/", "text/html; charset=utf-8", embedded_dashboard_file("index.html")},
      {"/dashboard.css", "text/css; charset=utf-8", embedded_dashboard_file("dashboard.css")},
      {"/dashboard.js", "text/javascript; charset=utf-8", embedded_dashboard_file("dashboard.js")},
  }};
  for (const auto& a : assets)
    if (a.path == path) return &a;
  return nullptr;
}

}  // namespace pcbridge::proxy
