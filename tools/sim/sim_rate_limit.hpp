#pragma once
// Per-API-key operation limit over a sliding window (60 s as in v2-api.md §2.4; shorter
// windows only for quick tests), plus the
// statistics the end-to-end tests read: accepted operations and the most seen in a window.
#include "tools/sim/sim_time.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace pcbridge::sim {

class rate_limiter {
 public:
  // `ops_per_minute` 0 disables rejection; windows are still measured.
  explicit rate_limiter(int ops_per_minute, std::chrono::milliseconds window = std::chrono::seconds(60))
      : limit_(ops_per_minute), window_(window) {}

  struct decision {
    bool allowed = true;
    int retry_after_s = 0;  // when rejected: seconds until the oldest operation leaves the window
  };

  // Admits one operation for `key` at `now`, or rejects it. A rejected operation is not
  // counted and takes no slot.
  decision admit(const std::string& key, time_point now);

  struct key_stats {
    std::deque<time_point> window;  // accepted operations of the last window, oldest first
    std::uint64_t operations = 0;
    std::size_t max_in_window = 0;
  };
  const std::map<std::string, key_stats>& keys() const { return keys_; }
  std::uint64_t rejected() const { return rejected_; }
  void reset();

 private:
  int limit_;
  std::chrono::milliseconds window_;
  std::map<std::string, key_stats> keys_;
  std::uint64_t rejected_ = 0;
};

}  // namespace pcbridge::sim
