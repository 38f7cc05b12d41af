#pragma once
// The pacing rule of one API key, as pure arithmetic over time points (no I/O, no
// clock of its own; unit-tested with a fake clock). Two limits hold at once:
//  - a steady rate: starts are spaced `window / limit` apart, with room for a burst of
//    `burst` back-to-back starts after a quiet spell (GCRA, the leaky-bucket-as-meter);
//  - a hard window: never more than `limit` starts in any `window` (sliding log), with a
//    safety margin for clock and network jitter between pcbridge and the upstream.
// An upstream 429 pauses the key until the time its Retry-After names.
#include <chrono>
#include <deque>

namespace pcbridge::proxy {

class pacing {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  pacing(int limit, std::chrono::milliseconds window, int burst, std::chrono::milliseconds margin);

  // The earliest time the next operation may start (>= now).
  time_point earliest_start(time_point now) const;
  // Records an operation started at `t` (t >= earliest_start(t)).
  void record_start(time_point t);
  // No start before `until` (upstream said 429 with Retry-After).
  void pause_until(time_point until);
  time_point paused_until() const { return paused_until_; }

  int limit() const { return limit_; }
  std::chrono::nanoseconds interval() const { return interval_; }
  // From this time on the state acts exactly like a fresh one (GCRA caught up, every
  // recorded start out of the window and its margin, no pause): it may then be dropped.
  time_point idle_from() const;
  // Starts recorded within the window ending at `now`.
  int starts_in_window(time_point now) const;

 private:
  int limit_;
  std::chrono::nanoseconds window_;
  std::chrono::nanoseconds interval_;
  std::chrono::nanoseconds burst_tolerance_;  // (burst - 1) * interval
  std::chrono::nanoseconds margin_;
  time_point theoretical_arrival_{};           // GCRA state
  std::deque<time_point> starts_;              // at most limit_ most recent starts
  time_point paused_until_{};
};

}  // namespace pcbridge::proxy
