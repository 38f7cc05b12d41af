#pragma once
// OAuth 2.0 client-credentials tokens, cached per client. Contract:
// - one fetch in flight per client; concurrent callers wait for it;
// - refreshed ahead of expiry (margin, at most half the lifetime); while a refresh runs,
//   callers keep using the current token only if it is still valid;
// - never hands out an expired token, nor one within the in-flight safety of its expiry
//   (5 s, or a fifth of the lifetime when shorter); fails closed (no token -> 503);
// - after a failed fetch, callers are answered at once (no new fetch) until a backoff
//   passes: 1 s, doubling per failure, at most 30 s; a success resets it;
// - a failure's `error` is never empty and never holds the secret or a token;
// - credentials marked trust::unproven (Basic pass-through) go through a login_guard:
//   refused pairs are answered from memory, fetches for new pairs are rate-limited, and
//   no entry is kept for a pair whose first fetch failed;
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
#include "proxy/login_guard.hpp"
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
  std::string error;  // non-empty when !ok; safe to show (scrubbed)
};

class token_cache {
 public:
  // configured: credentials from pcbridge's config. unproven: whatever a client sent
  // (basic_as_client_credentials) until the token endpoint has accepted it once.
  enum class trust { configured, unproven };

  token_cache(asio::any_io_executor executor, token_fetch_function fetch, clock_function now,
              std::chrono::seconds refresh_margin, login_guard::options guard = {});

  awaitable<token_lookup> get(const token_credentials& creds, trust from = trust::configured);
  // Drops `rejected_token` (upstream answered 401) so the next get() fetches a new one.
  // At most one such forced refresh per client per `forced_refresh_interval`: a 401 that
  // has another cause (a wrong API key) must not make every request refetch the token
  // all other users of these credentials share. Returns whether a refresh is due.
  bool invalidate(const token_credentials& creds, const std::string& rejected_token);
  static constexpr std::chrono::seconds forced_refresh_interval{10};

  // Called after every fetch with its result (metrics).
  void on_fetch(std::function<void(bool ok)> hook) { on_fetch_ = std::move(hook); }
  // Called after a failed fetch with the client id and the scrubbed reason (as last_error).
  void on_failure(std::function<void(const std::string& client_id, const std::string& why)> hook) {
    on_failure_ = std::move(hook);
  }
  // True when every one of `creds` has a token that is valid now (readiness).
  bool holds_valid_token(const token_credentials& creds) const;
  // Why the last fetch for these credentials failed ("" when it did not); scrubbed.
  std::string last_error(const token_credentials& creds) const;
  // How long ago the token held for these credentials was fetched; nullopt when none is valid.
  std::optional<std::chrono::seconds> token_age(const token_credentials& creds) const;
  std::uint64_t fetch_failures() const { return failures_; }
  std::size_t tracked_credentials() const { return entries_.size(); }
  // How long the token held for these credentials stays valid; nullopt when none is (dashboard).
  std::optional<std::chrono::seconds> token_expires_in(const token_credentials& creds) const;
  const login_guard& guard() const { return guard_; }

 private:
  struct pending {  // one fetch in flight; its waiters hold it, so it outlives the entry
    explicit pending(asio::any_io_executor ex) : done(ex, token_clock::time_point::max()) {}
    asio::steady_timer done;  // waiters wait on it; cancelled when the fetch is done
    token_lookup result;      // set before `done` fires
  };
  struct entry {
    std::string token;
    token_clock::time_point expires_at{};
    token_clock::time_point refresh_at{};
    token_clock::time_point obtained_at{};           // when the current token was fetched
    std::chrono::milliseconds safety{0};             // in-flight safety of this token
    std::shared_ptr<pending> fetch;                  // non-null while a fetch runs
    token_lookup last_failure;                       // result of the last failed fetch
    token_clock::time_point retry_not_before{};      // no new fetch before this after a failure
    std::chrono::seconds backoff{0};
    std::optional<token_clock::time_point> last_forced_refresh;
    bool unproven = false;                           // fetched as trust::unproven
    bool proven = false;                             // a fetch with these credentials succeeded
  };

  awaitable<void> run_fetch(std::string key, token_credentials creds, std::shared_ptr<pending> p);
  bool valid(const entry& e, token_clock::time_point now) const;
  static token_lookup usable(const entry& e);
  static token_lookup failure_of(fetched_token result, const token_credentials& creds, const entry& e);
  static std::string key_of(const token_credentials& creds);

  asio::any_io_executor executor_;
  token_fetch_function fetch_;
  clock_function now_;
  std::chrono::seconds refresh_margin_;
  login_guard guard_;
  std::map<std::string, entry> entries_;
  std::function<void(bool)> on_fetch_;
  std::function<void(const std::string&, const std::string&)> on_failure_;
  static constexpr std::chrono::seconds max_backoff{30};
  std::uint64_t failures_ = 0;
};

}  // namespace pcbridge::proxy
