#pragma once
// Upstream operations per API key over the last hour, and each key's current rate-gate
// queue length, for the dashboard (/admin/status). Keys are held by fingerprint only
// (api_key_fingerprint: never the key itself). Counts are this instance's: with the redis
// quota backend other replicas spend the same quota and are not counted here.
// Bounded: per key, 60 one-minute buckets; at most `max_keys` keys plus "(other)", into which
// further keys fold once no tracked key is idle (no operation in the hour, empty queue: dropped).
// Threading: not synchronised; the proxy's io_context thread. Reads no clock.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

class quota_history {
 public:
  using time_point = std::chrono::system_clock::time_point;
  static constexpr int minutes = 60;
  static constexpr std::string_view overflow_key = "(other)";

  explicit quota_history(std::size_t max_keys = 1000) : max_keys_(max_keys) {}

  // One operation started on `api_key` (raw; only its fingerprint is kept) at `now`.
  void count_operation(std::string_view api_key, time_point now);
  void set_queue_length(std::string_view api_key, std::size_t length, time_point now);

  struct key_view {
    std::string fingerprint;
    std::uint64_t operations_last_hour = 0;
    std::size_t queue_length = 0;
  };
  // Every key with an operation in the hour ending at `now` or a queue, by fingerprint.
  std::map<std::string, key_view> view(time_point now) const;
  std::size_t tracked_keys() const { return keys_.size(); }

 private:
  struct slot {
    std::array<std::uint32_t, minutes> per_minute{};  // index: minute number % minutes
    std::int64_t last_minute = 0;                      // minute number of the newest bucket
    std::size_t queue_length = 0;
  };
  slot& slot_for(std::string_view api_key, std::int64_t minute);
  static void advance(slot& s, std::int64_t minute);
  void drop_idle(std::int64_t minute);

  std::size_t max_keys_;
  std::map<std::string, slot, std::less<>> keys_;  // by fingerprint
};

}  // namespace pcbridge::proxy
