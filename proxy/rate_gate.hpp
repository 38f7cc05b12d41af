#pragma once
// Keeps each API key within the upstream's operation quota by queueing, not rejecting:
// callers wait their turn (FIFO per key) and one dispatcher per key admits them as the
// pacing backend allows. Only a full queue, or a wait that would pass `max_wait`, is
// refused (the caller answers 429 with Retry-After). Runs on the proxy's one thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "proxy/coro.hpp"
#include "proxy/pacing_backend.hpp"

namespace pcbridge::proxy {

struct rate_gate_options {
  pacing_settings pacing;
  std::size_t max_queue = 1000;
  std::chrono::milliseconds max_wait{120000};
};

enum class admission { admitted, queue_full, wait_too_long, cancelled };

struct admission_result {
  admission outcome = admission::admitted;
  std::chrono::milliseconds waited{0};
  std::chrono::seconds retry_after{0};            // for refusals
};

// Lets a caller give up its place (its client disconnected, or pcbridge is stopping).
struct admission_cancel {
  bool cancelled = false;
  std::function<void()> wake;                     // set by the gate while the caller waits
  void cancel() {
    cancelled = true;
    if (wake) wake();
  }
};

class rate_gate {
 public:
  rate_gate(asio::any_io_executor executor, rate_gate_options options, pacing_backend& backend);
  ~rate_gate();

  // Waits for the key's turn. `front`: queue at the head (a retry after an upstream 429
  // keeps its place). `cancel` may be null; a caller already cancelled is answered
  // `cancelled` at once and takes no slot. A wait that would pass max_wait (the backend's
  // own wait for the head, then one pacing interval per caller ahead) is refused at once.
  awaitable<admission_result> admit(const std::string& api_key, bool front = false,
                                    std::shared_ptr<admission_cancel> cancel = nullptr);
  // Upstream answered 429: nobody on this key starts for `duration`.
  awaitable<void> pause(const std::string& api_key, std::chrono::milliseconds duration);

  // Called whenever a key's queue grows or shrinks (metrics: pcbridge_queue_length).
  void on_queue_change(std::function<void(const std::string& api_key, std::size_t length)> hook) {
    on_queue_change_ = std::move(hook);
  }

  const rate_gate_options& options() const { return options_; }
  // Keys with state here: only those with callers queued or a dispatcher running (a key's
  // state is dropped as soon as neither holds, so invented keys leave nothing behind).
  std::size_t tracked_keys() const { return keys_.size(); }

 private:
  struct waiter;
  struct key_state;
  key_state& state_for(const std::string& api_key);
  void forget_if_idle(const std::string& api_key);
  awaitable<void> dispatch(std::string api_key);

  asio::any_io_executor executor_;
  rate_gate_options options_;
  pacing_backend& backend_;
  void queue_changed(const std::string& api_key, std::size_t length) const {
    if (on_queue_change_) on_queue_change_(api_key, length);
  }

  std::map<std::string, std::unique_ptr<key_state>> keys_;
  std::function<void(const std::string&, std::size_t)> on_queue_change_;
};

}  // namespace pcbridge::proxy
