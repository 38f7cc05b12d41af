#include "proxy/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace pcbridge::proxy {

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now_utc) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return max_429_backoff;
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::time_t at = timegm(&tm);
  if (at <= now_utc) return std::chrono::milliseconds(0);
  return std::chrono::seconds(at - now_utc);
}

std::chrono::milliseconds retry_backoff(int attempt, double unit_random) {
  const long long base = std::min<long long>(2000, 100LL << std::clamp(attempt, 0, 10));
  const double jitter = 1.0 + std::clamp(unit_random, 0.0, 0.999);
  return std::chrono::milliseconds(std::min<long long>(2000, static_cast<long long>(base * jitter)));
}

}  // namespace pcbridge::proxy
