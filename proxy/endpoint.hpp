#pragma once
// Where an upstream lives: scheme, host, port and path prefix of a configured URL.
#include <optional>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

struct endpoint {
  bool tls = false;
  std::string host;
  std::string port;         // "443", "8080"
  std::string path_prefix;  // "" or "/PCITrial" (no trailing slash)

  // Pool key: connections are reused only for the same scheme, host and port.
  std::string key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

// http(s)://host[:port][/prefix]; nullopt for anything else (config validated it already).
std::optional<endpoint> parse_endpoint(std::string_view url);

}  // namespace pcbridge::proxy
