#include <doctest/doctest.h>

#include <string>

#include "translators/query.hpp"

using namespace pcbridge::translators;

namespace {

std::string rw(std::string_view q, std::string_view default_offset = "+00:00") {
  auto r = rewrite_v1_query(q, default_offset);
  if (!r) {
    FAIL_CHECK("unexpected failure: " << r.error().message);
    return {};
  }
  return *r;
}

failure err(std::string_view q) {
  auto r = rewrite_v1_query(q, "+00:00");
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("query: V1-only parameters are dropped") {
  CHECK(rw("") == "");
  CHECK(rw("version=2") == "");
  CHECK(rw("v=1") == "");
  CHECK(rw("include_calculated_fields=true") == "");
  CHECK(rw("Version=3&V=2&Include_Calculated_Fields=False") == "");
  CHECK(rw("version") == "");
  CHECK(rw("version=2&limit=5") == "limit=5");
  CHECK(rw("limit=5&version=2&offset=1") == "limit=5&offset=1");
}

TEST_CASE("query: known parameters are kept in V2 spelling, order preserved") {
  CHECK(rw("offset=10&limit=10") == "offset=10&limit=10");
  CHECK(rw("LIMIT=7&Offset=3") == "limit=7&offset=3");
  CHECK(rw("reveal_sensitive_data=True") == "reveal_sensitive_data=true");
  CHECK(rw("REVEAL_SENSITIVE_DATA=FALSE") == "reveal_sensitive_data=false");
  CHECK(rw("run_followup_actions=true") == "run_followup_actions=true");
  CHECK(rw("autocommunication=False") == "AutoCommunication=false");
  CHECK(rw("AutoCommunication=TRUE") == "AutoCommunication=true");
  CHECK(rw("changed_since=2014-10-20&limit=1") ==
        "changed_since=2014-10-20T00:00:00%2B00:00&limit=1");
  CHECK(rw("limit=%31%30") == "limit=10");
}

TEST_CASE("query: unknown parameters pass through raw") {
  CHECK(rw("foo=bar") == "foo=bar");
  CHECK(rw("foo=a%20b+c&limit=2&flag") == "foo=a%20b+c&limit=2&flag");
  CHECK(rw("x=%zz") == "x=%zz");
  CHECK(rw("a=1&&b=2&") == "a=1&b=2");
}

TEST_CASE("query: limit and offset must be non-negative integers, limit at most 1000") {
  CHECK(rw("limit=0&offset=0") == "limit=0&offset=0");
  CHECK(rw("limit=1000") == "limit=1000");
  CHECK(rw("limit=007") == "limit=7");
  CHECK(rw("offset=2147483647") == "offset=2147483647");
  for (std::string_view q : {"limit=1001", "limit=-1", "limit=", "limit", "limit=abc", "limit=1.5",
                             "limit=+5", "limit=%20", "limit=99999999999"}) {
    CAPTURE(q);
    const failure f = err(q);
    CHECK(f.status == 400);
    CHECK(f.message.rfind("query parameter limit must be an integer from 0 to 1000, got \"", 0) ==
          0);
  }
  for (std::string_view q : {"offset=-5", "offset=x", "offset=2147483648", "offset="}) {
    CAPTURE(q);
    const failure f = err(q);
    CHECK(f.status == 400);
    CHECK(f.message.rfind("query parameter offset must be a non-negative integer, got \"", 0) == 0);
  }
  CHECK(err("limit=abc").message ==
        "query parameter limit must be an integer from 0 to 1000, got \"abc\"");
}

TEST_CASE("query: booleans must be true or false") {
  CHECK(err("reveal_sensitive_data=yes").message ==
        "query parameter reveal_sensitive_data must be true or false, got \"yes\"");
  CHECK(err("run_followup_actions=1").message ==
        "query parameter run_followup_actions must be true or false, got \"1\"");
  CHECK(err("AutoCommunication").message ==
        "query parameter AutoCommunication must be true or false, got \"\"");
  CHECK(err("autocommunication=truee").status == 400);
}

TEST_CASE("query: a known parameter given twice is 400") {
  CHECK(err("limit=1&LIMIT=2").message == "query parameter limit is given more than once");
  CHECK(rw("version=1&version=2") == "");  // dropped anyway
}

TEST_CASE("query: changed_since decoding and re-encoding") {
  // Percent-encoded '+' and ':'.
  CHECK(rw("changed_since=2014-10-22T00%3A26%3A26%2B05%3A30") ==
        "changed_since=2014-10-22T00:26:26%2B05:30");
  // A raw '+' is an offset sign, not a space.
  CHECK(rw("changed_since=2014-10-22T00:26:26+05:30") ==
        "changed_since=2014-10-22T00:26:26%2B05:30");
  // A '+' that a client already turned into %20.
  CHECK(rw("changed_since=2014-10-22T00:26:26%2005:30") ==
        "changed_since=2014-10-22T00:26:26%2B05:30");
  CHECK(rw("changed_since=2014-10-22T00:26:26:1234567-07:00") ==
        "changed_since=2014-10-22T00:26:26.1234567-07:00");
  CHECK(rw("Changed_Since=2014-10-20", "-07:00") == "changed_since=2014-10-20T00:00:00-07:00");
  const failure f = err("changed_since=2014-13-01");
  CHECK(f.status == 400);
  CHECK(f.message.find("changed_since value \"2014-13-01\"") != std::string::npos);
  CHECK(err("changed_since=%zz").message ==
        "query parameter changed_since must be validly percent-encoded, got \"%zz\"");
}

TEST_CASE("percent helpers") {
  CHECK(percent_decode("a%20b+c%2B%3a") == std::optional<std::string>("a b+c+:"));
  CHECK_FALSE(percent_decode("%").has_value());
  CHECK_FALSE(percent_decode("%4").has_value());
  CHECK_FALSE(percent_decode("%g0").has_value());
  CHECK(percent_encode_query_value("2014-10-22T00:26:26.5+05:30") ==
        "2014-10-22T00:26:26.5%2B05:30");
  CHECK(percent_encode_query_value("a b/&=\xc3\xa9~_") == "a%20b%2F%26%3D%C3%A9~_");
}
