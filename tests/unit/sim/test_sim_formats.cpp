// Timestamp formats and percent-decoding, tested on their own.
#include "tools/sim/sim_time.hpp"
#include "tools/sim/sim_url.hpp"
#include "tools/sim/sim_values.hpp"

#include <doctest/doctest.h>

using namespace pcbridge::sim;
using namespace std::chrono_literals;

TEST_CASE("timestamps render at the fixed -08:00 offset") {
  const auto t = local_time(2024, 2, 29, 23, 59, 58) + 1234567ns * 100 + 99ns;
  CHECK(format_timestamp(t) == "2024-02-29T23:59:58-08:00");
  CHECK(format_precise_timestamp(t) == "2024-02-29T23:59:58.1234567-08:00");
  CHECK(format_inquiry_timestamp(t) == "2024-02-29T23:59:58-08");
  CHECK(format_local_date(t) == "2024-02-29");
  CHECK(to_ticks(t) == t - 99ns);
}

TEST_CASE("parse_changed_since reads offsets and fractions exactly") {
  const auto base = local_time(2024, 3, 1, 0, 0, 0);
  CHECK(parse_changed_since("2024-03-01T00:00:00-08:00") == base);
  CHECK(parse_changed_since("2024-03-01T08:00:00+00:00") == base);
  CHECK(parse_changed_since("2024-03-01T09:30:00+01:30") == base);
  CHECK(parse_changed_since("2024-03-01T00:00:00.5-08:00") == base + 500ms);
  CHECK(parse_changed_since("2024-03-01T00:00:00.0000001-08:00") == base + 100ns);
  CHECK_FALSE(parse_changed_since("2024-03-01T00:00:00.-08:00"));
  CHECK_FALSE(parse_changed_since("2024-03-01T24:00:00-08:00"));
  CHECK_FALSE(parse_changed_since("2024-03-01T00:00:00-08:00 "));
  CHECK_FALSE(parse_changed_since("2024-03-01T00:00:00 08:00"));
  CHECK_FALSE(parse_changed_since(""));
}

TEST_CASE("dates and filter times") {
  CHECK(is_iso_date("2024-02-29"));
  CHECK_FALSE(is_iso_date("2023-02-29"));
  CHECK_FALSE(is_iso_date("2024-2-29"));
  CHECK_FALSE(is_iso_date("02/29/2024"));
  const auto day = parse_filter_time("2024-06-08");
  REQUIRE(day);
  CHECK(day->date_only);
  CHECK(day->date == "2024-06-08");
  const auto local = parse_filter_time("2024-06-08T18:10:01");
  REQUIRE(local);
  CHECK(local->at == local_time(2024, 6, 8, 18, 10, 1));
  CHECK(parse_filter_time("2024-06-09T02:10:01Z")->at == local->at);
  CHECK(parse_filter_time("2024-06-08T19:10:01-07:00")->at == local->at);
  CHECK_FALSE(parse_filter_time("2024-06-08 18:10:01"));
}

TEST_CASE("percent-decoding and parameter lists") {
  CHECK(percent_decode("a%2Bb+c", true) == "a+b c");
  CHECK(percent_decode("a%2Bb+c", false) == "a+b+c");
  CHECK_FALSE(percent_decode("%2", false));
  CHECK_FALSE(percent_decode("%zz", false));
  const auto params = parse_params("a=1&b=&c&a=2&d=x%3Dy");
  REQUIRE(params);
  CHECK(find_param(*params, "a") == "1");
  CHECK(find_param(*params, "b") == "");
  CHECK(find_param(*params, "c") == "");
  CHECK(find_param(*params, "d") == "x=y");
  CHECK_FALSE(find_param(*params, "A"));
  const auto target = parse_target("/services/v2/Programs/P%20Q?x=%2B1");
  REQUIRE(target);
  CHECK(target->segments == std::vector<std::string>{"services", "v2", "Programs", "P Q"});
  CHECK(find_param(target->query, "x") == "+1");
}

TEST_CASE("decimal numbers") {
  CHECK(parse_decimal("0.5") == 0.5);
  CHECK(parse_decimal("-12") == -12.0);
  CHECK_FALSE(parse_decimal("1."));
  CHECK_FALSE(parse_decimal(".5"));
  CHECK_FALSE(parse_decimal("1e3"));
  CHECK_FALSE(parse_decimal(""));
}
