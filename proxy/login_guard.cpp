#include "proxy/login_guard.hpp"

#include <algorithm>

namespace pcbridge::proxy {

const std::string* login_guard::refused(const digest& pair, clock::time_point now) {
  auto it = failed_.find(pair);
  if (it == failed_.end()) return nullptr;
  if (now >= it->second.until) {
    order_.erase(it->second.order);
    failed_.erase(it);
    return nullptr;
  }
  return &it->second.reason;
}

void login_guard::remember_refusal(const digest& pair, std::string reason, clock::time_point now) {
  if (o_.max_failed == 0) return;
  if (auto it = failed_.find(pair); it != failed_.end()) {
    order_.erase(it->second.order);
    failed_.erase(it);
  }
  while (failed_.size() >= o_.max_failed) {
    failed_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(pair);
  failed_.emplace(pair, failure{std::move(reason), now + o_.failed_ttl, std::prev(order_.end())});
}

bool login_guard::take_unknown_fetch(clock::time_point now) {
  if (refilled_ == clock::time_point{}) refilled_ = now;
  const std::chrono::duration<double> elapsed = now - refilled_;
  if (elapsed.count() > 0) {
    tokens_ = std::min(o_.unknown_burst, tokens_ + elapsed.count() * o_.unknown_per_second);
    refilled_ = now;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace pcbridge::proxy
