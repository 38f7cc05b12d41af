#pragma once
// Small pure rules of the retry policy: reading Retry-After, and the backoff between
// retries of idempotent calls.
#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace pcbridge::proxy {

// Retry-After as delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT"),
// relative to `now_utc`. nullopt when absent or unreadable; never negative.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now_utc);

// Used when upstream answers 429 without a usable Retry-After.
inline constexpr std::chrono::milliseconds default_429_backoff{2000};
// Longest pause one Retry-After may impose (a bogus value must not stall a key for hours).
inline constexpr std::chrono::milliseconds max_429_backoff{120000};

// Capped exponential backoff with jitter: attempt 0 -> 100..200 ms, 1 -> 200..400 ms, ...,
// at most 2 s. `unit_random` in [0, 1).
std::chrono::milliseconds retry_backoff(int attempt, double unit_random);

}  // namespace pcbridge::proxy
