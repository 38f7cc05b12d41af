#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "proxy/usage_report.hpp"
#include "proxy/usage_store.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// 2026-11-27T11:35:00Z
const system_clock::time_point t0 = sys_days{2026y / November / 27} + 11h + 35min;

std::string pair_json(const std::string& method, int count, int e4, int e5, const std::string& first,
                      const std::string& last, const std::string& daily) {
  return R"({"method":")" + method + R"(","count":)" + std::to_string(count) + R"(,"errors":)" +
         std::to_string(e4 + e5) + R"(,"errors_4xx":)" + std::to_string(e4) + R"(,"errors_5xx":)" +
         std::to_string(e5) + R"(,"first_seen":")" + first + R"(","last_seen":")" + last + R"(","daily":{)" + daily +
         "}}";
}

}  // namespace

TEST_CASE("usage report: empty") {
  CHECK(usage_report{}.render_json() == R"({"retention_days":90,"clients":[]})");
  CHECK(usage_report{}.render_csv() == "user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen\r\n");
}

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
        R"({"retention_days":90,"clients":[)"
        R"({"user":"-","methods":[)" +
            pair_json("-", 1, 1, 0, "2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z", R"("2027-01-01":1)") + "," +
            pair_json("GetProjects", 1, 1, 0, "2026-11-27T11:35:00Z", "2026-11-27T11:35:00Z", R"("2026-11-27":1)") +
            R"(]},{"user":"alice","methods":[)" +
            pair_json("CreateProject", 1, 0, 0, "2026-11-28T13:38:04Z", "2026-11-28T13:38:04Z",
                      R"("2026-11-28":1)") +
            R"(]},{"user":"legacy-user","methods":[)" +
            pair_json("GetForms", 1, 0, 1, "2026-11-27T11:35:01Z", "2026-11-27T11:35:01Z", R"("2026-11-27":1)") + "," +
            pair_json("GetProjects", 3, 1, 0, "2026-11-27T10:35:00Z", "2026-11-27T11:35:00Z", R"("2026-11-27":3)") +
            "]}]}");
  CHECK(r.render_csv() ==
        "user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen\r\n"
        "-,-,1,1,1,0,2027-01-01T00:00:00Z,2027-01-01T00:00:00Z\r\n"
        "-,GetProjects,1,1,1,0,2026-11-27T11:35:00Z,2026-11-27T11:35:00Z\r\n"
        "alice,CreateProject,1,0,0,0,2026-11-28T13:38:04Z,2026-11-28T13:38:04Z\r\n"
        "legacy-user,GetForms,1,1,0,1,2026-11-27T11:35:01Z,2026-11-27T11:35:01Z\r\n"
        "legacy-user,GetProjects,3,1,1,0,2026-11-27T10:35:00Z,2026-11-27T11:35:00Z\r\n");
}

TEST_CASE("usage report: status classes; first and last seen are the earliest and latest record") {
  usage_report r;
  r.record("u", "GetProjects", 399, t0);
  r.record("u", "GetProjects", 400, t0 + 5s);
  r.record("u", "GetProjects", 503, t0 + 2s);
  r.record("u", "GetProjects", 499, t0 - 3s);
  r.record("u", "GetProjects", 200, t0 + 24h);
  CHECK(r.render_json() == R"({"retention_days":90,"clients":[{"user":"u","methods":[)" +
                               pair_json("GetProjects", 5, 2, 1, "2026-11-27T11:34:57Z", "2026-11-28T11:35:00Z",
                                         R"("2026-11-27":4,"2026-11-28":1)") +
                               "]}]}");
}

TEST_CASE("usage report: users beyond the limit are folded into (other); names are escaped") {
  usage_report r(2);
  r.record("a", "GetProjects", 200, t0);
  r.record("b\"q,", "GetProjects", 200, t0);
  r.record("c", "GetProjects", 200, t0);
  r.record("d", "GetForms", 200, t0);
  r.record("a", "GetProjects", 200, t0);  // known users keep being counted
  r.record("", "", 200, t0);              // empty names read as "-"
  const std::string json = r.render_json();
  CHECK(json.find(R"j({"user":"(other)","methods":[{"method":"-","count":1)j") != std::string::npos);
  CHECK(json.find(R"({"user":"a","methods":[{"method":"GetProjects","count":2,)") != std::string::npos);
  CHECK(json.find(R"({"user":"b\"q,","methods":)") != std::string::npos);
  CHECK(json.find(R"("user":"c")") == std::string::npos);
  CHECK(r.render_csv().find("\r\n\"b\"\"q,\",GetProjects,1,") != std::string::npos);  // RFC 4180 quoting
}

TEST_CASE("usage report: invalid UTF-8 in a user name does not throw; CSV shows the JSON's replacement") {
  usage_report r;
  r.record("bad\xff", "GetProjects", 200, t0);
  std::string json;
  CHECK_NOTHROW(json = r.render_json());
  CHECK(json.find("\"user\":\"bad\xEF\xBF\xBD\"") != std::string::npos);
  CHECK(r.render_csv().find("\r\nbad\xEF\xBF\xBD,GetProjects,1,") != std::string::npos);
}

TEST_CASE("usage report: stored and pending merge; a failed flush gives its part back") {
  usage_report r;
  usage_data stored;
  pair_usage old;
  old.calls = 10;
  old.errors_5xx = 2;
  old.first_seen = floor<seconds>(t0 - 48h);
  old.last_seen = floor<seconds>(t0 - 24h);
  old.daily[day_number(t0 - 48h)] = 4;
  old.daily[day_number(t0 - 24h)] = 6;
  stored.pairs[{"u", "GetProjects"}] = old;
  r.set_stored(stored);
  r.record("u", "GetProjects", 200, t0);
  auto v = r.view().pairs.at({"u", "GetProjects"});
  CHECK(v.calls == 11);
  CHECK(v.errors_5xx == 2);
  CHECK(v.first_seen == old.first_seen);
  CHECK(v.last_seen == floor<seconds>(t0));
  CHECK(v.daily.size() == 3);
  usage_data taken = r.take_pending();
  CHECK(r.pending().empty());
  CHECK(r.view().pairs.at({"u", "GetProjects"}).calls == 10);
  r.restore_pending(taken);
  CHECK(r.view().pairs.at({"u", "GetProjects"}).calls == 11);
}

TEST_CASE("usage data: prune keeps the last 90 days; JSON round-trips") {
  usage_data d;
  pair_usage u;
  u.calls = 3;
  u.first_seen = floor<seconds>(t0 - 24h * 100);
  u.last_seen = floor<seconds>(t0);
  const auto today = day_number(t0);
  u.daily[today - 90] = 1;
  u.daily[today - 89] = 1;
  u.daily[today] = 1;
  d.pairs[{"x", "GetForms"}] = u;
  d.prune(today);
  CHECK(d.pairs.at({"x", "GetForms"}).daily == std::map<std::int32_t, std::uint64_t>{{today - 89, 1}, {today, 1}});
  std::string error;
  auto back = parse_usage_json(render_usage_json(d), error);
  REQUIRE_MESSAGE(back, error);
  CHECK(render_usage_json(*back) == render_usage_json(d));
  for (const char* bad : {"", "[]", "{\"clients\":{}}", "{\"clients\":[{\"user\":1}]}",
                          R"({"clients":[{"user":"u","methods":[{"method":"m","count":-1}]}]})",
                          R"({"clients":[{"user":"u","methods":[{"method":"m","count":1,"errors_4xx":0,"errors_5xx":0,)"
                          R"("first_seen":"2026-13-01T00:00:00Z","last_seen":"2026-12-01T00:00:00Z"}]}]})"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_usage_json(bad, error));
    CHECK_FALSE(error.empty());
  }
  CHECK(parse_iso_time("2026-12-01T23:59:59Z"));
  CHECK_FALSE(parse_iso_time("2026-12-01T24:00:00Z"));
  CHECK(iso_date(*parse_iso_date("2024-02-29")) == "2024-02-29");
  CHECK_FALSE(parse_iso_date("2025-02-29"));
}

TEST_CASE("usage Redis commands: the flush carries every pair; the snapshot decodes") {
  usage_data d;
  pair_usage u;
  u.calls = 5;
  u.errors_4xx = 1;
  u.errors_5xx = 2;
  u.first_seen = sys_seconds{1000s};
  u.last_seen = sys_seconds{2000s};
  u.daily[20000] = 5;
  d.pairs[{"legacy-user", "GetProjects"}] = u;
  auto cmd = usage_flush_command(d);
  REQUIRE(cmd.size() == 7 + 8 + 2);
  CHECK(cmd[0] == "EVAL");
  CHECK(cmd[2] == "1");
  CHECK(cmd[3] == "pcbridge:usage:total");
  CHECK(cmd[4] == "pcbridge:usage:day:");
  CHECK(std::vector<std::string>(cmd.begin() + 7, cmd.end()) ==
        std::vector<std::string>{"GetProjects", "legacy-user", "5", "1", "2", "1000", "2000", "1", iso_date(20000), "5"});

  const std::int32_t today = 20001;
  auto read = usage_read_command(today);
  REQUIRE(read.size() == 4 + 90);
  CHECK(read[2] == "91");
  CHECK(read[3] == "pcbridge:usage:total");
  CHECK(read[4] == "pcbridge:usage:day:" + iso_date(today - 89));
  CHECK(read.back() == "pcbridge:usage:day:" + iso_date(today));

  auto bulk = [](std::string s) {
    redis_value v;
    v.type = redis_value::kind::bulk_string;
    v.text = std::move(s);
    return v;
  };
  redis_value reply;
  reply.type = redis_value::kind::array;
  redis_value total;
  total.type = redis_value::kind::array;
  for (const char* s : {"c:GetProjects:legacy-user", "5", "4:GetProjects:legacy-user", "1", "5:GetProjects:legacy-user",
                        "2", "f:GetProjects:legacy-user", "1000", "l:GetProjects:legacy-user", "2000", "junk", "x"})
    total.elements.push_back(bulk(s));
  reply.elements.push_back(total);
  for (int i = 0; i < 90; ++i) {
    redis_value day;
    day.type = redis_value::kind::array;
    if (i == 88) day.elements = {bulk("GetProjects:legacy-user"), bulk("5")};
    reply.elements.push_back(day);
  }
  std::string error;
  auto got = decode_usage_snapshot(reply, today, error);
  REQUIRE_MESSAGE(got, error);
  CHECK(render_usage_json(*got) == render_usage_json(d));
  reply.elements.pop_back();
  CHECK_FALSE(decode_usage_snapshot(reply, today, error));
}
