#include "proxy/pacing.hpp"

#include <algorithm>

namespace pcbridge::proxy {

pacing::pacing(int limit, std::chrono::milliseconds window, int burst, std::chrono::milliseconds margin)
    : limit_(std::max(1, limit)),
      window_(window),
      interval_(std::chrono::nanoseconds(window) / std::max(1, limit)),
      burst_tolerance_(interval_ * (std::clamp(burst, 1, std::max(1, limit)) - 1)),
      margin_(margin) {}

pacing::time_point pacing::earliest_start(time_point now) const {
  time_point t = std::max(now, paused_until_);
  // Steady rate with burst tolerance.
  t = std::max(t, theoretical_arrival_ - burst_tolerance_);
  // Hard window: the start `limit` places back must have left the window (plus margin).
  if (static_cast<int>(starts_.size()) >= limit_) t = std::max(t, starts_.front() + window_ + margin_);
  return t;
}

void pacing::record_start(time_point t) {
  theoretical_arrival_ = std::max(theoretical_arrival_, t) + interval_;
  starts_.push_back(t);
  while (static_cast<int>(starts_.size()) > limit_) starts_.pop_front();
}

void pacing::pause_until(time_point until) { paused_until_ = std::max(paused_until_, until); }

pacing::time_point pacing::idle_from() const {
  time_point t = std::max(theoretical_arrival_, paused_until_);
  if (!starts_.empty()) t = std::max(t, starts_.back() + window_ + margin_);
  return t;
}

int pacing::starts_in_window(time_point now) const {
  return static_cast<int>(std::count_if(starts_.begin(), starts_.end(), [&](time_point s) { return s > now - window_; }));
}

}  // namespace pcbridge::proxy
