#include "proxy/token_cache.hpp"

#include <algorithm>

#include "config/config.hpp"
#include "proxy/v1_answers.hpp"

namespace pcbridge::proxy {

namespace {
// A token this close to its expiry is treated as expired: it could lapse in flight. For
// short lifetimes it scales down to a fifth of the lifetime, so a 3 s token is still used.
constexpr std::chrono::milliseconds in_flight_safety{5000};
}  // namespace

token_cache::token_cache(asio::any_io_executor executor, token_fetch_function fetch, clock_function now,
                         std::chrono::seconds refresh_margin, login_guard::options guard)
    : executor_(std::move(executor)),
      fetch_(std::move(fetch)),
      now_(std::move(now)),
      refresh_margin_(refresh_margin),
      guard_(guard) {}

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
  return !e.token.empty() && now + e.safety < e.expires_at;
}

token_lookup token_cache::usable(const entry& e) { return token_lookup{true, e.token, false, {}}; }

awaitable<token_lookup> token_cache::get(const token_credentials& creds, trust from) {
  const std::string key = key_of(creds);
  const auto now = now_();
  auto found = entries_.find(key);
  const bool unproven = from == trust::unproven && (found == entries_.end() || !found->second.proven);
  login_guard::digest pair{};
  if (unproven) {
    const auto d = config::sha256(key);
    std::copy(d.begin(), d.end(), pair.begin());
    // Refused a moment ago: answered from memory, the identity provider is not asked again.
    if (const std::string* why = guard_.refused(pair, now)) co_return token_lookup{false, {}, true, *why};
  }

  entry& e = entries_[key];
  if (valid(e, now) && now < e.refresh_at) co_return usable(e);
  if (!e.fetch && now < e.retry_not_before) {
    // The token endpoint failed a moment ago: answer now (with the token while it holds)
    // instead of queueing callers behind another attempt that would likely fail too.
    co_return valid(e, now) ? usable(e) : e.last_failure;
  }
  if (!e.fetch) {
    if (unproven && !guard_.take_unknown_fetch(now)) {
      if (e.token.empty() && e.last_failure.error.empty()) entries_.erase(key);  // keep no state for it
      co_return token_lookup{false, {}, false,
                             "too many sign-ins with unverified credentials at once; retry in a few seconds"};
    }
    e.unproven = unproven;
    e.fetch = std::make_shared<pending>(executor_);
    asio::co_spawn(executor_, run_fetch(key, creds, e.fetch), asio::detached);
  }
  // Refresh ahead of expiry without making callers wait while the token still holds.
  if (valid(e, now)) co_return usable(e);

  auto done = e.fetch;
  co_await done->done.async_wait(use_tuple);  // cancelled when the fetch finishes
  co_return done->result;
}

token_lookup token_cache::failure_of(fetched_token result, const token_credentials& creds, const entry& e) {
  // The one place a failed fetch becomes text: never empty, and never the secret or a
  // token, even when the endpoint echoes them (its error_description is its own text).
  std::string why = std::move(result.error);
  if (result.ok) {
    if (!usable_token(result.access_token)) why = "token endpoint gave an access_token that is not a valid header value";
    else why = "token endpoint gave no usable expires_in";
  }
  if (why.empty()) why = "token endpoint gave no usable answer";
  why = scrub_secrets(std::move(why), {creds.client_secret, e.token, result.access_token});
  return token_lookup{false, {}, result.credentials_rejected, std::move(why)};
}

awaitable<void> token_cache::run_fetch(std::string key, token_credentials creds, std::shared_ptr<pending> p) {
  fetched_token result = co_await fetch_(creds);
  auto it = entries_.find(key);
  if (it == entries_.end()) it = entries_.emplace(key, entry{}).first;
  entry& e = it->second;
  e.fetch = nullptr;
  // The parser already checks all this; the fetch seam may be anything, so again here.
  const bool ok = result.ok && result.expires_in.count() > 0 && usable_token(result.access_token);
  if (on_fetch_) on_fetch_(ok);
  if (ok) {
    const auto now = now_();
    const std::chrono::milliseconds lifetime = std::clamp(result.expires_in, std::chrono::seconds(1), max_token_lifetime);
    e.safety = std::min(in_flight_safety, lifetime / 5);
    // Refresh ahead (at most half the lifetime before expiry), and before the token stops
    // being handed out, so callers of a short-lived token do not wait for each refresh.
    const auto margin = std::max(std::min<std::chrono::milliseconds>(refresh_margin_, lifetime / 2), e.safety);
    e.token = std::move(result.access_token);
    e.expires_at = now + lifetime;
    e.obtained_at = now;
    e.refresh_at = e.expires_at - margin;
    e.last_failure = {};
    e.backoff = std::chrono::seconds(0);
    e.retry_not_before = {};
    e.proven = true;
    p->result = usable(e);
  } else {
    ++failures_;
    p->result = failure_of(std::move(result), creds, e);
    if (on_failure_) on_failure_(creds.client_id, p->result.error);
    if (e.unproven && !e.proven) {
      // Nothing is kept for a pair never seen to work, except (by digest) that it was refused.
      if (p->result.credentials_rejected) {
        login_guard::digest pair{};
        const auto d = config::sha256(key);
        std::copy(d.begin(), d.end(), pair.begin());
        guard_.remember_refusal(pair, p->result.error, now_());
      }
      entries_.erase(it);
    } else {
      e.backoff = std::min(max_backoff, std::max(std::chrono::seconds(1), e.backoff * 2));
      e.retry_not_before = now_() + e.backoff;
      e.last_failure = p->result;
    }
  }
  // Wakes every waiter, and makes any later wait on this timer return at once.
  p->done.expires_at(token_clock::time_point::min());
}

bool token_cache::holds_valid_token(const token_credentials& creds) const {
  auto it = entries_.find(key_of(creds));
  return it != entries_.end() && valid(it->second, now_());
}

std::optional<std::chrono::seconds> token_cache::token_age(const token_credentials& creds) const {
  auto it = entries_.find(key_of(creds));
  if (it == entries_.end() || !valid(it->second, now_())) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(now_() - it->second.obtained_at);
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

std::optional<std::chrono::seconds> token_cache::token_expires_in(const token_credentials& creds) const {
  auto it = entries_.find(key_of(creds));
  const auto now = now_();
  if (it == entries_.end() || !valid(it->second, now)) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(it->second.expires_at - now);
}

}  // namespace pcbridge::proxy
