#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "proxy/usage_report.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// 2026-11-27T11:35:00Z
const system_clock::time_point t0 = sys_days{2026y / November / 27} + 11h + 35min;

}  // namespace

TEST_CASE("usage report: empty") { CHECK(usage_report{}.render_json() == R"({"clients":[]})"); }

TEST_CASE("usage report: exact JSON for a known sequence, sorted by user then method") {
  usage_report r;
  r.record("legacy-user", "GetProjects", 200, t0 - 1h);
  r.record("legacy-user", "GetProjects", 404, t0 - 10min);
  r.record("legacy-user", "GetProjects", 200, t0 + 999ms);  // sub-seconds dropped
  r.record("legacy-user", "GetForms", 500, t0 + 1s);
  r.record("alice", "CreateProject", 201, t0 + 24h + 2h + 3min + 4s);
  r.record("-", "GetProjects", 401, t0);
  r.record("-", "-", 404, sys_days{2027y / January / 1});
  CHECK(r.render_json() ==
        R"({"clients":[)"
        R"({"user":"-","methods":[)"
        R"({"method":"-","count":1,"errors":1,"last_seen":"2027-01-01T00:00:00Z"},)"
        R"({"method":"GetProjects","count":1,"errors":1,"last_seen":"2026-11-27T11:35:00Z"}]},)"
        R"({"user":"alice","methods":[)"
        R"({"method":"CreateProject","count":1,"errors":0,"last_seen":"2026-11-28T13:38:04Z"}]},)"
        R"({"user":"legacy-user","methods":[)"
        R"({"method":"GetForms","count":1,"errors":1,"last_seen":"2026-11-27T11:35:01Z"},)"
        R"({"method":"GetProjects","count":3,"errors":1,"last_seen":"2026-11-27T11:35:00Z"}]}]})");
}

TEST_CASE("usage report: errors are statuses of 400 and above; last seen is the latest record") {
  usage_report r;
  r.record("u", "GetProjects", 399, t0);
  r.record("u", "GetProjects", 400, t0 + 5s);
  r.record("u", "GetProjects", 503, t0 + 2s);
  CHECK(r.render_json() ==
        R"({"clients":[{"user":"u","methods":[{"method":"GetProjects","count":3,"errors":2,)"
        R"("last_seen":"2026-11-27T11:35:02Z"}]}]})");
}

TEST_CASE("usage report: users beyond the limit are folded into (other); names are JSON-escaped") {
  usage_report r(2);
  r.record("a", "GetProjects", 200, t0);
  r.record("b\"q", "GetProjects", 200, t0);
  r.record("c", "GetProjects", 200, t0);
  r.record("d", "GetForms", 200, t0);
  r.record("a", "GetProjects", 200, t0);  // known users keep being counted
  r.record("", "", 200, t0);              // empty names read as "-"
  CHECK(r.render_json() ==
        R"({"clients":[)"
        R"j({"user":"(other)","methods":[)j"
        R"({"method":"-","count":1,"errors":0,"last_seen":"2026-11-27T11:35:00Z"},)"
        R"({"method":"GetForms","count":1,"errors":0,"last_seen":"2026-11-27T11:35:00Z"},)"
        R"({"method":"GetProjects","count":1,"errors":0,"last_seen":"2026-11-27T11:35:00Z"}]},)"
        R"({"user":"a","methods":[{"method":"GetProjects","count":2,"errors":0,"last_seen":"2026-11-27T11:35:00Z"}]},)"
        R"({"user":"b\"q","methods":[{"method":"GetProjects","count":1,"errors":0,"last_seen":"2026-11-27T11:35:00Z"}]}]})");
}

TEST_CASE("usage report: invalid UTF-8 in a user name does not throw") {
  usage_report r;
  r.record("bad\xff", "GetProjects", 200, t0);
  std::string json;
  CHECK_NOTHROW(json = r.render_json());
  CHECK(json.find("\"user\":\"bad\xEF\xBF\xBD\"") != std::string::npos);
}
