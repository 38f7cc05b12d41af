#include <doctest/doctest.h>

#include <string>

#include "translators/route_table.hpp"

using namespace pcbridge::translators;

namespace {

std::string norm(std::string_view v, std::string_view default_offset = "+00:00") {
  auto r = normalize_changed_since(v, default_offset);
  if (!r) {
    FAIL_CHECK("unexpected failure: " << r.error().message);
    return {};
  }
  return *r;
}

}  // namespace

TEST_CASE("changed_since: accepted forms and their V2 spelling") {
  // Bare date: midnight in the configured default offset.
  CHECK(norm("2014-10-20") == "2014-10-20T00:00:00+00:00");
  CHECK(norm("2014-10-20", "-07:00") == "2014-10-20T00:00:00-07:00");
  // Offsets.
  CHECK(norm("2014-10-22T00:26:26-07:00") == "2014-10-22T00:26:26-07:00");
  CHECK(norm("2014-10-22T00:26:26+05:30") == "2014-10-22T00:26:26+05:30");
  CHECK(norm("2014-10-22T00:26:26-0700") == "2014-10-22T00:26:26-07:00");
  CHECK(norm("2014-10-22T00:26:26+0530") == "2014-10-22T00:26:26+05:30");
  CHECK(norm("2014-10-22T00:26:26-07") == "2014-10-22T00:26:26-07:00");
  CHECK(norm("2014-10-22T00:26:26Z") == "2014-10-22T00:26:26+00:00");
  CHECK(norm("2014-10-22T00:26:26z") == "2014-10-22T00:26:26+00:00");
  CHECK(norm("2014-10-22T00:26:26+14:00") == "2014-10-22T00:26:26+14:00");
  CHECK(norm("2014-10-22T00:26:26-12:00") == "2014-10-22T00:26:26-12:00");
  // No offset: the default one.
  CHECK(norm("2014-10-22T00:26:26") == "2014-10-22T00:26:26+00:00");
  CHECK(norm("2014-10-22T00:26:26", "-08:00") == "2014-10-22T00:26:26-08:00");
  // Fractions: '.' or ':' (V1 docs), 1 to 7 digits kept as written.
  CHECK(norm("2014-10-22T00:26:26.1234567-07:00") == "2014-10-22T00:26:26.1234567-07:00");
  CHECK(norm("2014-10-22T00:26:26:1234567-07:00") == "2014-10-22T00:26:26.1234567-07:00");
  CHECK(norm("2014-10-22T00:26:26.5Z") == "2014-10-22T00:26:26.5+00:00");
  CHECK(norm("2014-10-22T00:26:26:120") == "2014-10-22T00:26:26.120+00:00");
  CHECK(norm("2014-10-22T00:26:26.0000000+00:00") == "2014-10-22T00:26:26.0000000+00:00");
  // A '+' turned into a space by form decoding.
  CHECK(norm("2014-10-22T00:26:26 05:30") == "2014-10-22T00:26:26+05:30");
  CHECK(norm("2014-10-22T00:26:26.1234567 00:00") == "2014-10-22T00:26:26.1234567+00:00");
  CHECK(norm("2014-10-22T00:26:26 0530") == "2014-10-22T00:26:26+05:30");
  // Range edges.
  CHECK(norm("2016-02-29") == "2016-02-29T00:00:00+00:00");
  CHECK(norm("2000-02-29") == "2000-02-29T00:00:00+00:00");
  CHECK(norm("2014-12-31T23:59:59") == "2014-12-31T23:59:59+00:00");
  CHECK(norm("0001-01-01") == "0001-01-01T00:00:00+00:00");
}

TEST_CASE("changed_since: .NET DateTime shapes (mapping.md §3) keep the whole timestamp") {
  // M/d/yyyy and MM/dd/yyyy alone: midnight in the default offset, like a bare ISO date.
  CHECK(norm("10/28/2014") == "2014-10-28T00:00:00+00:00");
  CHECK(norm("1/2/2014", "-08:00") == "2014-01-02T00:00:00-08:00");
  CHECK(norm("01/02/2014") == "2014-01-02T00:00:00+00:00");
  // Invariant "G": 24-hour clock.
  CHECK(norm("10/28/2014 00:00:00") == "2014-10-28T00:00:00+00:00");
  CHECK(norm("10/28/2014 23:59:59") == "2014-10-28T23:59:59+00:00");
  CHECK(norm("10/28/2014 7:05:09") == "2014-10-28T07:05:09+00:00");
  // en-US ToString(): 12-hour clock with AM/PM.
  CHECK(norm("10/28/2014 12:00:00 AM") == "2014-10-28T00:00:00+00:00");
  CHECK(norm("10/28/2014 12:30:00 PM") == "2014-10-28T12:30:00+00:00");
  CHECK(norm("10/28/2014 1:02:03 PM") == "2014-10-28T13:02:03+00:00");
  CHECK(norm("10/28/2014 11:59:59 pm") == "2014-10-28T23:59:59+00:00");
  CHECK(norm("10/28/2014 9:00:00 AM", "-07:00") == "2014-10-28T09:00:00-07:00");
  // Form-encoded: '+' for each space.
  CHECK(norm("10/28/2014+12:00:00+AM") == "2014-10-28T00:00:00+00:00");
  CHECK(norm("10/28/2014+13:00:00") == "2014-10-28T13:00:00+00:00");
  // "s" and "o".
  CHECK(norm("2014-10-28T00:00:00") == "2014-10-28T00:00:00+00:00");
  CHECK(norm("2014-10-28T00:00:00.0000000") == "2014-10-28T00:00:00.0000000+00:00");
  CHECK(norm("2014-10-28T00:00:00.0000000-07:00") == "2014-10-28T00:00:00.0000000-07:00");
}

TEST_CASE("changed_since: rejected values are 400 naming the parameter and the value") {
  for (std::string_view v :
       {"", "yesterday", "2014-10", "2014/10/20", "20141020", "2014-1-20",
        "2014-10-2", "2014-13-01", "2014-00-10", "2014-10-00", "2014-02-29", "1900-02-29",
        "2014-04-31", "0000-01-01", "2014-10-20T", "2014-10-20T24:00:00", "2014-10-20T12:60:00",
        "2014-10-20T12:00:60", "2014-10-20T12:00", "2014-10-20 12:00:00",
        "2014-10-20T12:00:00.", "2014-10-20T12:00:00.12345678", "2014-10-20T12:00:00+15:00",
        "2014-10-20T12:00:00+14:30", "2014-10-20T12:00:00+05:60", "2014-10-20T12:00:00+5",
        "2014-10-20T12:00:00+05:3", "2014-10-20T12:00:00+05:", "2014-10-20T12:00:00Z+01:00",
        "2014-10-20T12:00:00+05:00 ", " 2014-10-20", "2014-10-20-07:00", "2014-10-20T1a:00:00",
        "2014-10-20T12:00:00.12a", "2014-10-20T12:00:00-07:00:00",
        // .NET shapes that are still wrong: no seconds, 13 o'clock PM, 0 AM, a bad slash date,
        // an ISO date with a space, a slash date with 'T', a 3-digit year.
        "10/28/2014 12:00", "10/28/2014 13:00:00 PM", "10/28/2014 0:00:00 AM", "13/28/2014",
        "2/30/2014", "10/28/14", "10/28/2014T00:00:00", "10/28/2014 00:00:00 XM", "10/28/2014  00:00:00",
        "100/28/2014", "10/28/2014 ", "10-28-2014"}) {
    CAPTURE(v);
    auto r = normalize_changed_since(v, "+00:00");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(r.error().message == "changed_since value \"" + std::string(v) +
                                   "\" is not a valid timestamp (use yyyy-MM-dd, MM/dd/yyyy or "
                                   "yyyy-MM-ddTHH:mm:ss[.fffffff]+HH:mm)");
  }
}

TEST_CASE("changed_since: the quoted value is cut at 64 characters and made printable") {
  const std::string long_value(100, '9');
  auto r = normalize_changed_since(long_value, "+00:00");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "changed_since value \"" + std::string(64, '9') +
                                 "...\" is not a valid timestamp (use yyyy-MM-dd, MM/dd/yyyy or "
                                 "yyyy-MM-ddTHH:mm:ss[.fffffff]+HH:mm)");
  auto ctl = normalize_changed_since(std::string_view("x\n\xff", 3), "+00:00");
  REQUIRE_FALSE(ctl.ok());
  CHECK(ctl.error().message.rfind("changed_since value \"x??\"", 0) == 0);
}
