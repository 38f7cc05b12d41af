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
  explicit key_state(asio::any_io_executor ex) : wakeup(ex) {}
  std::deque<std::shared_ptr<waiter>> queue;
  asio::steady_timer wakeup;  // the dispatcher sleeps on it until the backend's next slot
  bool dispatching = false;
};

rate_gate::rate_gate(asio::any_io_executor executor, rate_gate_options options, pacing_backend& backend)
    : executor_(std::move(executor)), options_(options), backend_(backend) {}

rate_gate::~rate_gate() = default;

rate_gate::key_state& rate_gate::state_for(const std::string& api_key) {
  auto& slot = keys_[api_key];
  if (!slot) slot = std::make_unique<key_state>(executor_);
  return *slot;
}

void rate_gate::forget_if_idle(const std::string& api_key) {
  auto it = keys_.find(api_key);
  if (it != keys_.end() && it->second->queue.empty() && !it->second->dispatching) keys_.erase(it);
}

awaitable<admission_result> rate_gate::admit(const std::string& api_key, bool front,
                                             std::shared_ptr<admission_cancel> cancel) {
  const auto started = steady::now();
  admission_result result;
  // The client may have gone while this request waited for something else (its token):
  // it must not take a slot, nor a place in the queue.
  auto gone = [&] {
    if (!cancel || !cancel->cancelled) return false;
    result.outcome = admission::cancelled;
    result.retry_after = std::chrono::seconds(1);
    return true;
  };
  if (gone()) co_return result;
  // Until the head of the queue may start: exact when the backend was asked just now,
  // else known while the dispatcher sleeps until the backend's next slot, else unknown (0).
  std::chrono::milliseconds head_wait{0};
  bool head_wait_exact = false;
  {
    // Looked up, not made: a key that passes at once needs no state (nor its allocations).
    const auto known = keys_.find(api_key);
    const key_state* k = known == keys_.end() ? nullptr : known->second.get();
    if (k == nullptr || (k->queue.empty() && !k->dispatching)) {
      // Fast path: nobody waiting and the backend has a slot now.
      auto wait = co_await backend_.try_start(api_key);
      if (wait.count() == 0) {
        forget_if_idle(api_key);
        co_return result;
      }
      head_wait = wait;
      head_wait_exact = true;
    } else if (k->dispatching) {
      head_wait = std::max(std::chrono::milliseconds(0),
                           std::chrono::ceil<std::chrono::milliseconds>(k->wakeup.expiry() - steady::now()));
    }
  }
  key_state& k = state_for(api_key);

  // Refuse at once what could not be served in time: the head waits for the backend's
  // next slot (at least one pacing interval when not known exactly), then every caller
  // queued ahead goes first, one interval each. The backend's wait matters: a full window
  // or a 429 pause can be far longer than an interval, and a caller that cannot make it
  // must hear so now, not when max_wait has passed.
  const auto interval = std::chrono::ceil<std::chrono::milliseconds>(
      options_.pacing.window / std::max(1, options_.pacing.operations_per_window));
  const auto ahead = static_cast<long long>(front ? 0 : k.queue.size());
  const auto expected_wait = (head_wait_exact ? head_wait : std::max(head_wait, interval)) + interval * ahead;
  const auto retry_after = std::chrono::ceil<std::chrono::seconds>(expected_wait);
  if (!front && k.queue.size() >= options_.max_queue) {
    result.outcome = admission::queue_full;
    result.retry_after = std::max(retry_after, std::chrono::seconds(1));
    forget_if_idle(api_key);
    co_return result;
  }
  if (expected_wait > options_.max_wait) {
    result.outcome = admission::wait_too_long;
    result.retry_after = std::max(retry_after, std::chrono::seconds(1));
    forget_if_idle(api_key);
    co_return result;
  }

  if (gone()) {  // while the backend was asked
    forget_if_idle(api_key);
    co_return result;
  }

  auto w = std::make_shared<waiter>(executor_);
  w->timer.expires_at(started + options_.max_wait);
  if (front) {
    k.queue.push_front(w);
  } else {
    k.queue.push_back(w);
  }
  queue_changed(api_key, k.queue.size());
  if (cancel) cancel->wake = [w] { w->timer.cancel(); };
  if (!k.dispatching) {
    k.dispatching = true;
    asio::co_spawn(executor_, dispatch(api_key), asio::detached);
  }
  co_await w->timer.async_wait(use_tuple);
  if (cancel) cancel->wake = nullptr;
  result.waited = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started);
  if (w->released) co_return result;

  // Deadline passed or the caller went away: leave the queue.
  auto& queue = state_for(api_key).queue;
  queue.erase(std::remove(queue.begin(), queue.end(), w), queue.end());
  queue_changed(api_key, queue.size());
  forget_if_idle(api_key);
  result.outcome = (cancel && cancel->cancelled) ? admission::cancelled : admission::wait_too_long;
  result.retry_after = std::chrono::seconds(1);
  co_return result;
}

awaitable<void> rate_gate::dispatch(std::string api_key) {
  for (;;) {
    key_state& k = state_for(api_key);
    if (k.queue.empty()) break;
    auto wait = co_await backend_.try_start(api_key);
    key_state& after = state_for(api_key);
    if (wait.count() > 0) {
      after.wakeup.expires_after(wait);
      co_await after.wakeup.async_wait(use_tuple);
      continue;
    }
    if (after.queue.empty()) break;  // the slot was taken for a caller that left: harmless, it only paces
    auto w = after.queue.front();
    after.queue.pop_front();
    queue_changed(api_key, after.queue.size());
    w->released = true;
    w->timer.cancel();
  }
  state_for(api_key).dispatching = false;
  forget_if_idle(api_key);
}

awaitable<void> rate_gate::pause(const std::string& api_key, std::chrono::milliseconds duration) {
  co_await backend_.pause(api_key, duration);
}

}  // namespace pcbridge::proxy
