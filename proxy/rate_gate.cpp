#include "proxy/rate_gate.hpp"

#include <algorithm>

namespace pcbridge::proxy {

using steady = std::chrono::steady_clock;

struct rate_gate::waiter {
  explicit waiter(asio::any_io_executor ex) : timer(ex) {}
  asio::steady_timer timer;  // expires at the caller's deadline; cancelled when released
  bool released = false;
};

struct rate_gate::key_state {
  key_state(asio::any_io_executor ex, const rate_gate_options& o)
      : pace(o.operations_per_window, o.window, o.burst, o.margin), wakeup(ex) {}
  pacing pace;
  std::deque<std::shared_ptr<waiter>> queue;
  asio::steady_timer wakeup;  // the dispatcher sleeps on it until the next slot
  bool dispatching = false;
  std::uint64_t admitted = 0;
};

rate_gate::rate_gate(asio::any_io_executor executor, rate_gate_options options)
    : executor_(std::move(executor)), options_(options) {}

rate_gate::key_state& rate_gate::state_for(const std::string& api_key) {
  auto& slot = keys_[api_key];
  if (!slot) slot = std::make_unique<key_state>(executor_, options_);
  return *slot;
}

awaitable<admission_result> rate_gate::admit(const std::string& api_key, bool front,
                                             std::shared_ptr<admission_cancel> cancel) {
  key_state& k = state_for(api_key);
  const auto now = steady::now();
  admission_result result;

  // Fast path: nobody waiting and a slot free now.
  if (k.queue.empty() && k.pace.earliest_start(now) <= now) {
    k.pace.record_start(now);
    ++k.admitted;
    co_return result;
  }

  // The wait this caller would face if every queued caller goes first.
  const auto ahead = static_cast<long long>(front ? 0 : k.queue.size());
  const auto expected_start = std::max(k.pace.earliest_start(now), now) + k.pace.interval() * ahead;
  const auto retry_after = std::chrono::ceil<std::chrono::seconds>(expected_start - now + std::chrono::seconds(1));
  if (!front && k.queue.size() >= options_.max_queue) {
    result.outcome = admission::queue_full;
    result.retry_after = retry_after;
    co_return result;
  }
  if (expected_start - now > options_.max_wait) {
    result.outcome = admission::wait_too_long;
    result.retry_after = retry_after;
    co_return result;
  }

  auto w = std::make_shared<waiter>(executor_);
  w->timer.expires_at(now + options_.max_wait);
  if (front) {
    k.queue.push_front(w);
  } else {
    k.queue.push_back(w);
  }
  if (cancel) cancel->wake = [w] { w->timer.cancel(); };
  if (!k.dispatching) {
    k.dispatching = true;
    asio::co_spawn(executor_, dispatch(api_key), asio::detached);
  } else if (front) {
    k.wakeup.cancel();  // re-evaluate: the head changed
  }
  co_await w->timer.async_wait(use_tuple);
  if (cancel) cancel->wake = nullptr;
  result.waited = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - now);
  if (w->released) co_return result;

  // Deadline passed or the caller went away: leave the queue.
  auto& queue = state_for(api_key).queue;
  queue.erase(std::remove(queue.begin(), queue.end(), w), queue.end());
  result.outcome = (cancel && cancel->cancelled) ? admission::cancelled : admission::wait_too_long;
  result.retry_after = std::chrono::seconds(1);
  co_return result;
}

awaitable<void> rate_gate::dispatch(std::string api_key) {
  key_state& k = state_for(api_key);
  while (!k.queue.empty()) {
    const auto now = steady::now();
    const auto slot = k.pace.earliest_start(now);
    if (slot > now) {
      k.wakeup.expires_at(slot);
      co_await k.wakeup.async_wait(use_tuple);
      continue;
    }
    auto w = k.queue.front();
    k.queue.pop_front();
    k.pace.record_start(now);
    ++k.admitted;
    w->released = true;
    w->timer.cancel();
  }
  k.dispatching = false;
}

void rate_gate::pause(const std::string& api_key, pacing::time_point until) {
  key_state& k = state_for(api_key);
  k.pace.pause_until(until);
}

std::uint64_t rate_gate::admitted(const std::string& api_key) const {
  auto it = keys_.find(api_key);
  return it == keys_.end() ? 0 : it->second->admitted;
}

std::size_t rate_gate::queued(const std::string& api_key) const {
  auto it = keys_.find(api_key);
  return it == keys_.end() ? 0 : it->second->queue.size();
}

}  // namespace pcbridge::proxy
