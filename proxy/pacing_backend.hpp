#pragma once
// Where the pacing state of each API key lives: in this process (memory_pacing_backend,
// the default) or shared by several pcbridge instances (redis_pacing_backend). The rate
// gate asks the backend, one caller at a time per key, whether an operation may start.
#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>

#include "proxy/coro.hpp"
#include "proxy/pacing.hpp"

namespace pcbridge::proxy {

struct pacing_settings {
  int operations_per_window = 60;
  std::chrono::milliseconds window{60000};
  int burst = 5;                              // back-to-back starts allowed after a quiet spell
  std::chrono::milliseconds margin{250};      // slack against clock/network jitter
};

class pacing_backend {
 public:
  virtual ~pacing_backend() = default;
  // Starts one operation for `api_key` if the pacing rule allows it now: returns 0 and
  // records the start. Otherwise returns how long to wait before asking again.
  virtual awaitable<std::chrono::milliseconds> try_start(const std::string& api_key) = 0;
  // Upstream answered 429: no operation on this key starts for `duration`.
  virtual awaitable<void> pause(const std::string& api_key, std::chrono::milliseconds duration) = 0;
  // Backend name for logs and metrics ("memory", "redis").
  virtual std::string_view name() const = 0;
};

// Keys come from clients (a client without a configured api_key sends its own X-ApiKey),
// so the state kept is bounded two ways: a key's state is dropped once it is idle
// (pacing::idle_from: nothing it did still limits it, so a fresh state behaves the same),
// and at most `max_keys` keys are tracked. A new key beyond that, with no tracked key idle,
// is told to wait until the least recently used key goes idle (at most about one window):
// the rate gate queues it like any paced caller, or refuses it with 429 + Retry-After when
// that wait passes max_wait. Keys already tracked are never dropped early: that would
// let them exceed the upstream's quota.
class memory_pacing_backend final : public pacing_backend {
 public:
  using clock_function = std::function<pacing::time_point()>;
  static constexpr std::size_t default_max_keys = 4096;

  explicit memory_pacing_backend(pacing_settings settings, std::size_t max_keys = default_max_keys,
                                 clock_function now = {});
  awaitable<std::chrono::milliseconds> try_start(const std::string& api_key) override;
  awaitable<void> pause(const std::string& api_key, std::chrono::milliseconds duration) override;
  std::string_view name() const override { return "memory"; }
  std::size_t tracked_keys() const { return keys_.size(); }

 private:
  struct slot {
    pacing state;
    std::list<std::string>::iterator order;
  };
  pacing::time_point now() const { return now_ ? now_() : pacing::clock::now(); }
  void drop_idle(pacing::time_point now);
  slot* find(const std::string& api_key);   // and marks it most recently used
  slot& add(const std::string& api_key);

  pacing_settings settings_;
  std::size_t max_keys_;
  clock_function now_;
  std::map<std::string, slot, std::less<>> keys_;
  std::list<std::string> lru_;  // least recently used first
};

}  // namespace pcbridge::proxy
