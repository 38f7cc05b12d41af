#include "tools/sim/sim_url.hpp"

namespace pcbridge::sim {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<param_list> parse_params(std::string_view s) {
  param_list out;
  while (!s.empty()) {
    const auto amp = s.find('&');
    const std::string_view pair = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

std::optional<std::string> find_param(const param_list& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<parsed_target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  parsed_target out;
  const auto q = target.find('?');
  out.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    auto query = parse_params(target.substr(q + 1));
    if (!query) return std::nullopt;
    out.query = std::move(*query);
  }
  std::string_view rest = std::string_view(out.path).substr(1);
  while (true) {
    const auto slash = rest.find('/');
    auto segment = percent_decode(rest.substr(0, slash), false);
    if (!segment) return std::nullopt;
    out.segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return out;
}

}  // namespace pcbridge::sim
