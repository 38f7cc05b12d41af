#include "proxy/token_cache.hpp"

#include <algorithm>

#include "config/config.hpp"

namespace pcbridge::proxy {

namespace {
// A token this close to its expiry is treated as expired: it could lapse in flight.
constexpr std::chrono::seconds in_flight_safety{5};
}  // namespace

token_cache::token_cache(asio::any_io_executor executor, token_fetch_function fetch, clock_function now,
                         std::chrono::seconds refresh_margin)
    : executor_(std::move(executor)), fetch_(std::move(fetch)), now_(std::move(now)), refresh_margin_(refresh_margin) {}

std::string token_cache::key_of(const token_credentials& creds) {
  // Keyed by id and a digest of the secret: with Basic pass-through, a wrong secret
  // must not be served the token fetched with the right one.
  auto digest = config::sha256(creds.client_secret);
  std::string key = creds.client_id;
  key.push_back('\0');
  key.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return key;
}

bool token_cache::valid(const entry& e, token_clock::time_point now) const {
  return !e.token.empty() && now + in_flight_safety < e.expires_at;
}

awaitable<token_lookup> token_cache::get(const token_credentials& creds) {
  const std::string key = key_of(creds);
  for (int round = 0; round < 2; ++round) {
    entry& e = entries_[key];
    const auto now = now_();
    if (valid(e, now) && now < e.refresh_at) co_return token_lookup{true, e.token, false, {}};

    if (!e.fetching && !valid(e, now) && now < e.retry_not_before) {
      // The token endpoint failed a moment ago: answer now instead of queueing callers
      // behind another attempt that would likely fail too.
      co_return token_lookup{false, {}, e.last_failure.credentials_rejected, e.last_failure.error};
    }
    if (!e.fetching) {
      e.fetching = true;
      e.fetch_done = std::make_shared<asio::steady_timer>(executor_, token_clock::time_point::max());
      asio::co_spawn(executor_, run_fetch(key, creds), asio::detached);
    }
    // Refresh ahead of expiry without making callers wait while the token still holds.
    if (valid(e, now)) co_return token_lookup{true, e.token, false, {}};

    const auto generation = e.generation;
    auto done = e.fetch_done;
    co_await done->async_wait(use_tuple);  // cancelled when the fetch finishes

    entry& after = entries_[key];
    if (valid(after, now_())) co_return token_lookup{true, after.token, false, {}};
    if (after.generation != generation && !after.fetching) {
      // The fetch we waited for failed: report it rather than starting another at once.
      co_return token_lookup{false, {}, after.last_failure.credentials_rejected, after.last_failure.error};
    }
  }
  co_return token_lookup{false, {}, false, "no valid token after refresh"};
}

awaitable<void> token_cache::run_fetch(std::string key, token_credentials creds) {
  fetched_token result = co_await fetch_(creds);
  entry& e = entries_[key];
  e.fetching = false;
  ++e.generation;
  if (on_fetch_) on_fetch_(result.ok && result.expires_in.count() > 0);
  if (result.ok && result.expires_in.count() > 0) {
    const auto now = now_();
    const auto lifetime = result.expires_in;
    const auto margin = std::min<std::chrono::seconds>(refresh_margin_, lifetime / 2);
    e.token = std::move(result.access_token);
    e.expires_at = now + lifetime;
    e.refresh_at = e.expires_at - margin;
    e.last_failure = {};
    e.backoff = std::chrono::seconds(0);
    e.retry_not_before = {};
  } else {
    ++failures_;
    e.backoff = std::min(max_backoff, std::max(std::chrono::seconds(1), e.backoff * 2));
    e.retry_not_before = now_() + e.backoff;
    if (result.ok) result.error = "token endpoint gave no usable expires_in";
    e.last_failure = std::move(result);
    e.last_failure.access_token.clear();
  }
  // Wakes every waiter, and makes any later wait on this timer return at once.
  if (e.fetch_done) e.fetch_done->expires_at(token_clock::time_point::min());
}

bool token_cache::holds_valid_token(const token_credentials& creds) const {
  auto it = entries_.find(key_of(creds));
  return it != entries_.end() && valid(it->second, now_());
}

std::string token_cache::last_error(const token_credentials& creds) const {
  auto it = entries_.find(key_of(creds));
  return it == entries_.end() ? std::string() : it->second.last_failure.error;
}

bool token_cache::invalidate(const token_credentials& creds, const std::string& rejected_token) {
  auto it = entries_.find(key_of(creds));
  if (it == entries_.end()) return true;
  entry& e = it->second;
  // A newer token is already in place: the caller just retries with it.
  if (e.token != rejected_token) return true;
  const auto now = now_();
  if (e.last_forced_refresh && now - *e.last_forced_refresh < forced_refresh_interval) return false;
  e.last_forced_refresh = now;
  e.token.clear();
  e.expires_at = {};
  e.refresh_at = {};
  return true;
}

}  // namespace pcbridge::proxy
