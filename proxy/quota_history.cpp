#include "proxy/quota_history.hpp"

#include <tuple>

#include "proxy/metrics.hpp"

namespace pcbridge::proxy {

namespace {

std::int64_t minute_of(quota_history::time_point t) {
  return std::chrono::floor<std::chrono::minutes>(t.time_since_epoch()).count();
}

// The bucket of a minute number (negative before 1970: still a valid index).
std::size_t bucket(std::int64_t minute) {
  return static_cast<std::size_t>(((minute % quota_history::minutes) + quota_history::minutes) % quota_history::minutes);
}

std::uint64_t sum(const std::array<std::uint32_t, quota_history::minutes>& a) {
  std::uint64_t n = 0;
  for (auto v : a) n += v;
  return n;
}

}  // namespace

void quota_history::advance(slot& s, std::int64_t minute) {
  if (minute <= s.last_minute) return;  // a clock step back: keep counting in the newest bucket
  if (minute - s.last_minute >= minutes) {
    s.per_minute.fill(0);
  } else {
    for (std::int64_t m = s.last_minute + 1; m <= minute; ++m) s.per_minute[bucket(m)] = 0;
  }
  s.last_minute = minute;
}

void quota_history::drop_idle(std::int64_t minute) {
  for (auto it = keys_.begin(); it != keys_.end();) {
    advance(it->second, minute);
    if (it->second.queue_length == 0 && sum(it->second.per_minute) == 0) it = keys_.erase(it);
    else ++it;
  }
}

quota_history::slot& quota_history::slot_for(std::string_view api_key, std::int64_t minute) {
  std::string fp = api_key_fingerprint(api_key);
  auto it = keys_.find(fp);
  if (it == keys_.end()) {
    if (keys_.size() >= max_keys_) drop_idle(minute);
    if (keys_.size() >= max_keys_) fp = std::string(overflow_key);
    bool added = false;
    std::tie(it, added) = keys_.try_emplace(std::move(fp));
    if (added) it->second.last_minute = minute;  // a fresh slot: all buckets empty as of now
  }
  advance(it->second, minute);
  return it->second;
}

void quota_history::count_operation(std::string_view api_key, time_point now) {
  const auto minute = minute_of(now);
  slot& s = slot_for(api_key, minute);
  ++s.per_minute[bucket(s.last_minute)];
}

void quota_history::set_queue_length(std::string_view api_key, std::size_t length, time_point now) {
  slot_for(api_key, minute_of(now)).queue_length = length;
}

std::map<std::string, quota_history::key_view> quota_history::view(time_point now) const {
  const auto minute = minute_of(now);
  std::map<std::string, key_view> out;
  for (const auto& [fp, s] : keys_) {
    slot copy = s;
    advance(copy, minute);
    const std::uint64_t ops = sum(copy.per_minute);
    if (ops == 0 && copy.queue_length == 0) continue;
    out.emplace(fp, key_view{fp, ops, copy.queue_length});
  }
  return out;
}

}  // namespace pcbridge::proxy
