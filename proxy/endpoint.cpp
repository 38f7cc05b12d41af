#include "proxy/endpoint.hpp"

#include <boost/url/parse.hpp>

namespace pcbridge::proxy {

std::optional<endpoint> parse_endpoint(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return std::nullopt;
  endpoint ep;
  if (parsed->scheme() == "https") {
    ep.tls = true;
  } else if (parsed->scheme() != "http") {
    return std::nullopt;
  }
  ep.host = parsed->host();
  if (ep.host.empty()) return std::nullopt;
  // IPv6 literals arrive bracketed; the resolver wants them bare.
  if (ep.host.front() == '[' && ep.host.back() == ']') ep.host = ep.host.substr(1, ep.host.size() - 2);
  ep.port = parsed->has_port() ? std::string(parsed->port()) : (ep.tls ? "443" : "80");
  ep.path_prefix = std::string(parsed->encoded_path());
  while (!ep.path_prefix.empty() && ep.path_prefix.back() == '/') ep.path_prefix.pop_back();
  return ep;
}

}  // namespace pcbridge::proxy
