#pragma once
// Where the pacing state of each API key lives: in this process (memory_pacing_backend,
// the default) or shared by several pcbridge instances (redis_pacing_backend). The rate
// gate asks the backend, one caller at a time per key, whether an operation may start.
#include <chrono>
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

class memory_pacing_backend final : public pacing_backend {
 public:
  explicit memory_pacing_backend(pacing_settings settings) : settings_(settings) {}
  awaitable<std::chrono::milliseconds> try_start(const std::string& api_key) override;
  awaitable<void> pause(const std::string& api_key, std::chrono::milliseconds duration) override;
  std::string_view name() const override { return "memory"; }

 private:
  pacing& state_for(const std::string& api_key);
  pacing_settings settings_;
  std::map<std::string, pacing> keys_;
};

}  // namespace pcbridge::proxy
