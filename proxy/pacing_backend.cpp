#include "proxy/pacing_backend.hpp"

namespace pcbridge::proxy {

pacing& memory_pacing_backend::state_for(const std::string& api_key) {
  auto it = keys_.find(api_key);
  if (it == keys_.end())
    it = keys_.emplace(api_key, pacing(settings_.operations_per_window, settings_.window, settings_.burst,
                                       settings_.margin)).first;
  return it->second;
}

awaitable<std::chrono::milliseconds> memory_pacing_backend::try_start(const std::string& api_key) {
  pacing& p = state_for(api_key);
  const auto now = pacing::clock::now();
  const auto slot = p.earliest_start(now);
  if (slot <= now) {
    p.record_start(now);
    co_return std::chrono::milliseconds(0);
  }
  // Round up: waking a little late is harmless, waking early only asks again.
  co_return std::chrono::ceil<std::chrono::milliseconds>(slot - now);
}

awaitable<void> memory_pacing_backend::pause(const std::string& api_key, std::chrono::milliseconds duration) {
  state_for(api_key).pause_until(pacing::clock::now() + duration);
  co_return;
}

}  // namespace pcbridge::proxy
