#include <doctest/doctest.h>

#include "proxy/retry_policy.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

TEST_CASE("Retry-After: delay-seconds and HTTP-date") {
  const std::time_t now = 1795000000;  // Wed, 18 Nov 2026 11:06:40 GMT
  CHECK(parse_retry_after("7", now) == std::optional<std::chrono::milliseconds>(7000ms));
  CHECK(parse_retry_after(" 0 ", now) == std::optional<std::chrono::milliseconds>(0ms));
  CHECK(parse_retry_after("99999999999", now) == std::optional<std::chrono::milliseconds>(max_429_backoff));
  CHECK(parse_retry_after("Wed, 18 Nov 2026 11:06:50 GMT", now) == std::optional<std::chrono::milliseconds>(10000ms));
  CHECK(parse_retry_after("Wed, 18 Nov 2026 09:40:00 GMT", now) == std::optional<std::chrono::milliseconds>(0ms));
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("-5", now));
}

TEST_CASE("backoff: doubles per attempt, jittered, capped at 2 s") {
  CHECK(retry_backoff(0, 0.0) == 100ms);
  CHECK(retry_backoff(0, 0.5) == 150ms);
  CHECK(retry_backoff(1, 0.0) == 200ms);
  CHECK(retry_backoff(3, 0.0) == 800ms);
  CHECK(retry_backoff(4, 0.99) == 2000ms);
  CHECK(retry_backoff(30, 0.5) == 2000ms);
}
