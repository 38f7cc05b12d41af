#pragma once
// Upstream answers of GET calls, shared to save quota:
//  - coalescing: identical GETs in flight at the same time share one upstream call;
//  - caching: 2xx answers of the methods that allow it are kept for a TTL.
// Keys include everything that can change the answer (client id, API key, V2 target and
// MFA headers). Runs on the proxy's one thread; the clock is injected for tests.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "proxy/coro.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

enum class cache_outcome { hit, miss, coalesced, bypass };

struct cached_answer {
  std::shared_ptr<const upstream_result> result;  // null: the fetch gave no upstream answer to share
  cache_outcome outcome = cache_outcome::miss;
};

class answer_cache {
 public:
  using fetch_function = std::function<awaitable<std::shared_ptr<const upstream_result>>()>;

  answer_cache(asio::any_io_executor executor, clock_function now);

  // `ttl` 0: never stored (coalescing only). `bypass`: the client sent Cache-Control:
  // no-cache: skip the stored answer (a call already in flight is still shared).
  awaitable<cached_answer> get(const std::string& key, std::chrono::seconds ttl, bool bypass,
                               const fetch_function& fetch);

  // The stored, unexpired answer under `key`, or null; no fetch, no waiting, nothing counted.
  std::shared_ptr<const upstream_result> peek(const std::string& key) const;

  std::size_t size() const { return stored_.size(); }

 private:
  struct flight {
    explicit flight(const asio::any_io_executor& executor) : done(executor, token_clock::time_point::max()) {}
    asio::steady_timer done;  // followers wait on it; one allocation with the flight
    std::shared_ptr<const upstream_result> result;
  };
  struct stored {
    token_clock::time_point expires;
    std::shared_ptr<const upstream_result> result;
  };
  void evict_expired(token_clock::time_point now);

  asio::any_io_executor executor_;
  clock_function now_;
  std::map<std::string, stored> stored_;
  std::map<std::string, std::shared_ptr<flight>> in_flight_;
  std::size_t inserts_since_sweep_ = 0;
};

}  // namespace pcbridge::proxy
