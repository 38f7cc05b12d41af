// Path safety (issue 8 items 8 and 9): V1 id segments that could change the meaning of the V2
// path, and native V2 targets that could leave /services/v2/, are 400s before anything is
// forwarded.
#include <doctest/doctest.h>

#include <string>

#include "translators/route_table.hpp"
#include "translators/v2_target.hpp"

using namespace pcbridge::translators;

namespace {

std::string v1_outcome(std::string_view target) {
  auto m = match_v1(http_verb::get, target, match_options{});
  if (m) return "forwarded " + m->v2_target;
  return std::to_string(m.error().status) + " " + m.error().message;
}

std::string native_outcome(std::string_view target) {
  auto t = check_native_v2_target(target);
  if (t) return "forwarded " + std::string(*t);
  return std::to_string(t.error().status) + " " + t.error().message;
}

const std::string id_rule =
    "\" is not allowed: ids and path segments may only hold letters, digits, '-', '_', '.' and '~'";

}  // namespace

TEST_CASE("V1 id segments: characters outside the id set are a 400 naming the segment") {
  for (std::string_view id : {"J%2F1", "J%2f1", "J%5C1", "J\\1", "J%001", "J%3F1", "J%231", "J%261", "J;1",
                              "%252e%252e", "%252E%252E", ".%252e", "J%201", "J%2B1", "f%c3%a9", "J%251"}) {
    CAPTURE(id);
    const std::string target = "/Services.svc/v1/Programs/P1/Projects/" + std::string(id) + "/Data";
    CHECK(v1_outcome(target) == "400 path segment \"" + std::string(id) + id_rule);
  }
  // The Generic route forwards every segment: the same rule holds there.
  CHECK(v1_outcome("/Services.svc/v1/Programs/P1/Widgets/W%2F..%2F..%2Fconnect") ==
        "400 path segment \"W%2F..%2F..%2Fconnect" + id_rule);
  // A non-printable byte is shown as '?' in the message.
  CHECK(v1_outcome("/Services.svc/v1/Programs/P\x01/Forms") == "400 path segment \"P?" + id_rule);
}

TEST_CASE("V1 id segments: ids PowerClerk uses are forwarded as sent") {
  CHECK(v1_outcome("/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects/EX-00042/Forms/My_Form.v2~x/Data") ==
        "forwarded /services/v2/Programs/PRG0M4A7B2CD/Projects/EX-00042/Forms/My_Form.v2~x/Draft/Data");
  // An unreserved character written as an escape decodes into the set: forwarded raw.
  CHECK(v1_outcome("/Services.svc/v1/Programs/PRG%41/Forms") == "forwarded /services/v2/Programs/PRG%41/Forms");
}

TEST_CASE("native V2 targets: dot segments in any spelling are a 400") {
  const std::string dots = "400 native V2 path segment \"";
  const std::string refused = "\" is not allowed: '.' and '..' segments are refused";
  for (std::string_view seg : {"..", ".", "%2e%2e", "%2E%2E", "%2e.", ".%2E", "%2e", "%252e%252e", "%25252e%25252E",
                               "..;", "..;x=1", "%2e%2e;jsessionid=1"}) {
    CAPTURE(seg);
    CHECK(native_outcome("/services/v2/" + std::string(seg) + "/../connect/token") == dots + std::string(seg) + refused);
  }
  // The two reproductions from the issue.
  CHECK(native_outcome("/services/v2/../../connect/token") == dots + ".." + refused);
  CHECK(native_outcome("/services/v2/%2e%2e/%2e%2e/connect/token") == dots + "%2e%2e" + refused);
  // Later segments are checked too.
  CHECK(native_outcome("/services/v2/Programs/P1/%2E%2E/%2E%2E/%2E%2E/connect/token?x=1") == dots + "%2E%2E" + refused);
}

TEST_CASE("native V2 targets: slashes, backslashes, controls and bad escapes inside a segment are a 400") {
  const std::string pre = "400 native V2 path segment \"";
  CHECK(native_outcome("/services/v2/Programs%2F..%2F..%2Fconnect/token") ==
        pre + "Programs%2F..%2F..%2Fconnect\" is not allowed: it holds a slash or backslash");
  CHECK(native_outcome("/services/v2/a%5Cb") == pre + "a%5Cb\" is not allowed: it holds a slash or backslash");
  CHECK(native_outcome("/services/v2/a%255Cb") == pre + "a%255Cb\" is not allowed: it holds a slash or backslash");
  CHECK(native_outcome("/services/v2/..\\..\\connect") == pre + "..\\..\\connect\" is not allowed: it holds a slash or backslash");
  CHECK(native_outcome("/services/v2/a%00b") == pre + "a%00b\" is not allowed: it holds a control character");
  CHECK(native_outcome("/services/v2/a%zz") == pre + "a%zz\" is not allowed: malformed percent-encoding");
  CHECK(native_outcome("/services/v2/%25252525252e") == pre + "%25252525252e\" is not allowed: percent-encoded too many times");
  CHECK(native_outcome("/services/v2//connect/token") == "400 empty path segment ('//') in the native V2 path");
  CHECK(native_outcome("/services/v2/Programs#/../../connect") ==
        "400 a fragment ('#') is not allowed in the native V2 request target");
  CHECK(native_outcome("/services/v2/") == "400 native V2 paths must name a resource under /services/v2/");
  CHECK(native_outcome("/connect/token") == "400 native V2 paths must name a resource under /services/v2/");
}

TEST_CASE("native V2 targets: ordinary targets are forwarded unchanged") {
  for (std::string_view t : {"/services/v2/Programs", "/services/v2/Programs/P1/Projects?limit=5&offset=0",
                             "/services/v2/Programs/P1/Projects/ByNumber/", "/services/v2/Programs/P.1/Forms/..x",
                             "/services/v2/Programs/P%201/Projects?q=../..", "/services/v2/a%2520b"}) {
    CAPTURE(t);
    CHECK(native_outcome(t) == "forwarded " + std::string(t));
  }
}
