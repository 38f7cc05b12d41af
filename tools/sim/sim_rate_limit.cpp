#include "tools/sim/sim_rate_limit.hpp"

#include <algorithm>

namespace pcbridge::sim {

rate_limiter::decision rate_limiter::admit(const std::string& key, time_point now) {
  auto& k = keys_[key];
  // The window is (now - window, now]: an operation exactly one window old has left it.
  while (!k.window.empty() && k.window.front() <= now - window_) k.window.pop_front();
  if (limit_ > 0 && k.window.size() >= static_cast<std::size_t>(limit_)) {
    ++rejected_;
    const auto wait = k.window.front() + window_ - now;
    const auto whole = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return {false, static_cast<int>(std::max<std::int64_t>(1, whole))};
  }
  k.window.push_back(now);
  ++k.operations;
  k.max_in_window = std::max(k.max_in_window, k.window.size());
  return {};
}

void rate_limiter::reset() {
  keys_.clear();
  rejected_ = 0;
}

}  // namespace pcbridge::sim
