#pragma once
// Pacing state shared by every pcbridge instance that uses the same Redis: the rule of
// `pacing` (GCRA steady rate with burst tolerance, hard sliding window with margin,
// pause after an upstream 429) evaluated atomically by one Lua script on Redis server
// time, so the instances' clocks do not matter.
//
// Redis keys never contain the API key (a secret): per API key there are
//   pcbridge:pace:{<hex SHA-256 of the key>}         hash: tat, pause (µs of Redis time)
//   pcbridge:pace:{<hex SHA-256 of the key>}:starts  list: recent start times, oldest first
// (the braces are a Redis Cluster hash tag: both keys live in one slot). Every write
// sets a PEXPIRE of two windows plus the margin (plus a pause still running), so idle
// keys vanish.
//
// When Redis cannot be reached or answers an error, the call is served by an internal
// memory_pacing_backend (traffic goes on, paced by this instance alone), counted in
// fallbacks(), and Redis is asked again on the first call after `retry_backoff`.
// Runs on the proxy's one io_context thread.
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/coro.hpp"
#include "proxy/pacing_backend.hpp"
#include "proxy/redis_client.hpp"

namespace pcbridge::proxy {

class redis_pacing_backend final : public pacing_backend {
 public:
  // `redis_url`: redis://[[user]:password@]host[:port][/db]. Throws std::invalid_argument
  // on a malformed URL (start-up only; the message never contains the password). Does not
  // connect: the first call does. `command_timeout` bounds each Redis call, connecting
  // included; a call that times out is served by the fallback.
  redis_pacing_backend(asio::any_io_executor executor, std::string redis_url, pacing_settings settings,
                       std::chrono::milliseconds command_timeout);

  awaitable<std::chrono::milliseconds> try_start(const std::string& api_key) override;
  // Also recorded in the fallback, so a pause survives a Redis outage that starts later.
  awaitable<void> pause(const std::string& api_key, std::chrono::milliseconds duration) override;
  std::string_view name() const override { return "redis"; }

  // Calls served by the in-memory fallback because Redis failed or was in back-off.
  std::uint64_t fallbacks() const { return fallbacks_; }
  // False from a Redis failure until the next successful Redis call.
  bool redis_healthy() const { return healthy_; }
  // Where the backend reports "Redis unreachable, pacing locally" and "Redis back" (once
  // per transition, not per call), e.g. logger::warn. Messages hold the redacted URL and
  // the failure, never the password or an API key. Default: nowhere.
  void set_warning_sink(std::function<void(std::string_view)> sink) { warn_ = std::move(sink); }
  const redis_url& url() const { return client_.url(); }

  // "pcbridge:pace:{<hex SHA-256 of api_key>}": the prefix of the key's Redis keys.
  static std::string redis_key_for(std::string_view api_key);
  // The Lua script (for reviews and tests) and its SHA-1, as EVALSHA wants it.
  static const std::string& script();
  static const std::string& script_sha1();

  static constexpr std::chrono::milliseconds retry_backoff{1000};

 private:
  // Runs the script in `mode` ("start" or "pause"): its integer answer, or nullopt when
  // Redis failed (the caller falls back).
  awaitable<std::optional<long long>> run_script(const std::string& api_key, std::string_view mode,
                                                 std::chrono::microseconds pause_for);
  void redis_failed(const redis_reply& reply, std::string_view what);

  redis_client client_;
  pacing_settings settings_;
  memory_pacing_backend fallback_;
  std::chrono::steady_clock::time_point retry_at_{};  // no Redis call before this
  bool healthy_ = true;
  std::uint64_t fallbacks_ = 0;
  std::function<void(std::string_view)> warn_;
};

}  // namespace pcbridge::proxy
