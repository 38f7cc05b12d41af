// Issue 8 item 13: a user name with a newline forged a whole access line in the text format.
#include <doctest/doctest.h>

#include "proxy/access_log.hpp"

using namespace pcbridge::proxy;

namespace {
access_record record_for(std::string user) {
  access_record r;
  r.request_id = "0123456789abcdef";
  r.http_method = "GET";
  r.path = "/Services.svc/v1/Programs";
  r.v1_method = "GetPrograms";
  r.user = std::move(user);
  r.status = 401;
  r.duration = std::chrono::milliseconds(3);
  r.note = "bad_credentials";
  return r;
}
}  // namespace

TEST_CASE("text access line: plain fields as they are") {
  CHECK(access_text_line(record_for("legacy-user"), "T") ==
        "T access rid=0123456789abcdef GET /Services.svc/v1/Programs v1_method=GetPrograms user=legacy-user "
        "status=401 upstream_status=0 upstream_calls=0 duration_ms=3 note=bad_credentials");
}

TEST_CASE("text access line: a user name cannot end the line or fake fields") {
  const std::string forged =
      "x status=200\n2026-12-01T00:00:00.000Z access rid=1 GET / v1_method=GetPrograms user=admin status=200";
  const std::string line = access_text_line(record_for(forged), "T");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line ==
        "T access rid=0123456789abcdef GET /Services.svc/v1/Programs v1_method=GetPrograms "
        "user=\"x status=200\\n2026-12-01T00:00:00.000Z access rid=1 GET / v1_method=GetPrograms user=admin "
        "status=200\" status=401 upstream_status=0 upstream_calls=0 duration_ms=3 note=bad_credentials");
}

TEST_CASE("text log fields: quotes, backslashes, controls, empty") {
  CHECK(log_field("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(log_field("a\r\tb\x01\x7f") == "\"a\\r\\tb\\x01\\x7f\"");
  CHECK(log_field("") == "\"\"");
  CHECK(log_field("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 names stay readable
  CHECK(log_field("k=v") == "\"k=v\"");
}
