#pragma once
// OAuth 2.0 client-credentials tokens, cached per client. Contract:
// - one fetch in flight per client; concurrent callers wait for it;
// - refreshed ahead of expiry (margin, at most half the lifetime); while a refresh runs,
//   callers keep using the current token only if it is still valid;
// - never hands out an expired token; fails closed (no token -> caller answers 503);
// - after a failed fetch, callers are answered at once (no new fetch) until a backoff
//   passes: 1 s, doubling per failure, at most 30 s; a success resets it;
// - invalidate() after an upstream 401 drops exactly the rejected token.
// Runs on one thread (the proxy's io_context); the clock is injected for tests.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "proxy/coro.hpp"
#include "proxy/token_answer.hpp"

namespace pcbridge::proxy {

using token_clock = std::chrono::steady_clock;
using clock_function = std::function<token_clock::time_point()>;

struct token_credentials {
  std::string client_id;
  std::string client_secret;
};

// Fetches one token from the token endpoint (see token_fetcher.hpp); a seam for tests.
using token_fetch_function = std::function<awaitable<fetched_token>(const token_credentials&)>;

struct token_lookup {
  bool ok = false;
  std::string access_token;
  bool credentials_rejected = false;
  std::string error;
};

class token_cache {
 public:
  token_cache(asio::any_io_executor executor, token_fetch_function fetch, clock_function now,
              std::chrono::seconds refresh_margin);

  awaitable<token_lookup> get(const token_credentials& creds);
  // Drops `rejected_token` (upstream answered 401) so the next get() fetches a new one.
  // At most one such forced refresh per client per `forced_refresh_interval`: a 401 that
  // has another cause (a wrong API key) must not make every request refetch the token
  // all other users of these credentials share. Returns whether a refresh is due.
  bool invalidate(const token_credentials& creds, const std::string& rejected_token);
  static constexpr std::chrono::seconds forced_refresh_interval{10};

  // Called after every fetch with its result (metrics).
  void on_fetch(std::function<void(bool ok)> hook) { on_fetch_ = std::move(hook); }
  // True when every one of `creds` has a token that is valid now (readiness).
  bool holds_valid_token(const token_credentials& creds) const;
  // Why the last fetch for these credentials failed ("" when it did not).
  std::string last_error(const token_credentials& creds) const;
  std::uint64_t fetch_failures() const { return failures_; }

 private:
  struct entry {
    std::string token;
    token_clock::time_point expires_at{};
    token_clock::time_point refresh_at{};
    bool fetching = false;
    std::shared_ptr<asio::steady_timer> fetch_done;  // waiters wait on it; cancelled when done
    fetched_token last_failure;                      // result of the last failed fetch
    std::uint64_t generation = 0;                    // bumped by each finished fetch
    token_clock::time_point retry_not_before{};      // no new fetch before this after a failure
    std::chrono::seconds backoff{0};
    std::optional<token_clock::time_point> last_forced_refresh;
  };

  awaitable<void> run_fetch(std::string key, token_credentials creds);
  bool valid(const entry& e, token_clock::time_point now) const;
  static std::string key_of(const token_credentials& creds);

  asio::any_io_executor executor_;
  token_fetch_function fetch_;
  clock_function now_;
  std::chrono::seconds refresh_margin_;
  std::map<std::string, entry> entries_;
  std::function<void(bool)> on_fetch_;
  static constexpr std::chrono::seconds max_backoff{30};
  std::uint64_t failures_ = 0;
};

}  // namespace pcbridge::proxy
