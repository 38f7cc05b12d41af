#include "proxy/answer_cache.hpp"

namespace pcbridge::proxy {

answer_cache::answer_cache(asio::any_io_executor executor, clock_function now)
    : executor_(std::move(executor)), now_(std::move(now)) {}

void answer_cache::evict_expired(token_clock::time_point now) {
  for (auto it = stored_.begin(); it != stored_.end();) it = it->second.expires <= now ? stored_.erase(it) : std::next(it);
}

std::shared_ptr<const upstream_result> answer_cache::peek(const std::string& key) const {
  const auto it = stored_.find(key);
  if (it == stored_.end() || now_() >= it->second.expires) return nullptr;
  return it->second.result;
}

awaitable<cached_answer> answer_cache::get(const std::string& key, std::chrono::seconds ttl, bool bypass,
                                           const fetch_function& fetch) {
  const auto now = now_();
  if (!bypass && ttl.count() > 0) {
    auto it = stored_.find(key);
    if (it != stored_.end() && now < it->second.expires) co_return cached_answer{it->second.result, cache_outcome::hit};
  }
  if (auto it = in_flight_.find(key); it != in_flight_.end()) {
    auto f = it->second;
    co_await f->done.async_wait(use_tuple);
    if (f->result) co_return cached_answer{f->result, cache_outcome::coalesced};
    // The leader got no answer to share (its own quota refusal, say): fetch alone.
    auto own = co_await fetch();
    co_return cached_answer{std::move(own), bypass ? cache_outcome::bypass : cache_outcome::miss};
  }

  auto f = std::make_shared<flight>(executor_);
  in_flight_[key] = f;
  f->result = co_await fetch();
  in_flight_.erase(key);
  f->done.expires_at(token_clock::time_point::min());  // wakes the followers

  const bool success = f->result && f->result->failure == upstream_failure::none &&
                       f->result->response.result_int() / 100 == 2;
  if (success && ttl.count() > 0) {
    stored_[key] = stored{now_() + ttl, f->result};
    if (++inserts_since_sweep_ >= 256) {
      inserts_since_sweep_ = 0;
      evict_expired(now_());
    }
  }
  co_return cached_answer{f->result, bypass ? cache_outcome::bypass : cache_outcome::miss};
}

}  // namespace pcbridge::proxy
