#include "proxy/pacing_backend.hpp"

#include <algorithm>

namespace pcbridge::proxy {

memory_pacing_backend::memory_pacing_backend(pacing_settings settings, std::size_t max_keys, clock_function now)
    : settings_(settings), max_keys_(std::max<std::size_t>(1, max_keys)), now_(std::move(now)) {}

void memory_pacing_backend::drop_idle(pacing::time_point now) {
  // Least recently used first; stops at the first key still limited, so each call costs
  // O(keys dropped). An idle key behind a busy one waits for the next sweep (the cap
  // bounds them meanwhile).
  while (!lru_.empty()) {
    auto it = keys_.find(lru_.front());
    if (it->second.state.idle_from() > now) break;
    keys_.erase(it);
    lru_.pop_front();
  }
}

memory_pacing_backend::slot* memory_pacing_backend::find(const std::string& api_key) {
  auto it = keys_.find(api_key);
  if (it == keys_.end()) return nullptr;
  lru_.splice(lru_.end(), lru_, it->second.order);
  return &it->second;
}

memory_pacing_backend::slot& memory_pacing_backend::add(const std::string& api_key) {
  lru_.push_back(api_key);
  auto it = keys_.emplace(api_key, slot{pacing(settings_.operations_per_window, settings_.window, settings_.burst,
                                               settings_.margin),
                                        std::prev(lru_.end())})
                .first;
  return it->second;
}

awaitable<std::chrono::milliseconds> memory_pacing_backend::try_start(const std::string& api_key) {
  const auto now = this->now();
  drop_idle(now);
  slot* s = find(api_key);
  if (s == nullptr) {
    if (keys_.size() >= max_keys_) {
      // Full of keys still limited: wait until the least recently used one goes idle.
      const auto free_at = keys_.find(lru_.front())->second.state.idle_from();
      co_return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(free_at - now));
    }
    s = &add(api_key);
  }
  pacing& p = s->state;
  const auto slot_at = p.earliest_start(now);
  if (slot_at <= now) {
    p.record_start(now);
    co_return std::chrono::milliseconds(0);
  }
  // Round up: waking a little late is harmless, waking early only asks again.
  co_return std::chrono::ceil<std::chrono::milliseconds>(slot_at - now);
}

awaitable<void> memory_pacing_backend::pause(const std::string& api_key, std::chrono::milliseconds duration) {
  const auto now = this->now();
  slot* s = find(api_key);
  if (s == nullptr && keys_.size() < max_keys_) s = &add(api_key);
  if (s != nullptr) s->state.pause_until(now + duration);  // untracked: nothing of it runs here yet
  co_return;
}

}  // namespace pcbridge::proxy
