// GetProjects (changed_since, limit, offset), GetProjectByNumber, GetProjectsByData.
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;
using namespace std::chrono_literals;

namespace {
std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const auto& p : list["Projects"]) out.push_back(p["ProjectId"].get<std::string>());
  return out;
}
const std::vector<std::string> all_seeded = {"PRJ7K2M9Q4XZ", "PRJ5S6U7B8M9", "PRJ3D4R5F6T7"};
}  // namespace

TEST_CASE("GetProjects lists projects in creation order with the §5.1 entry shape") {
  harness h;
  const auto list = h.api_json("GET", "Projects");
  CHECK(ids(list) == all_seeded);
  CHECK(list["RequestTimestamp"] == "2025-01-15T09:00:00.0000000-08:00");
  const auto expected = json::parse(R"({
    "ProjectId":"PRJ5S6U7B8M9","ProgramId":"PRG0M4A7B2CD","ProjectNumber":"NM-00002",
    "Url":"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=PRJ5S6U7B8M9",
    "LastChangeTimestamp":"2024-03-05T16:45:00-08:00",
    "ProjectOwner":{"Name":"Sam Installer","Email":"installer@example.com"},
    "CurrentStatus":{"StatusId":"ST8R1V6N3LQA","CustomId":"AppReview","Name":"Application Review","Timestamp":"2024-03-05T16:45:00-08:00"}})");
  CHECK(list["Projects"][1].dump() == expected.dump());
  CHECK(list["Projects"][2]["ProjectNumber"] == nullptr);
  CHECK(h.api_json("GET", "/services/v2/Programs/PRG2B4T5R6YZ/Projects")["Projects"].size() == 1);
  CHECK(h.api("GET", "/services/v2/Programs/NOSUCHPROGRM/Projects").status == 404);
}

TEST_CASE("changed_since accepts only the two strict V2 forms") {
  harness h;
  const auto status_for = [&](const std::string& query) { return h.api("GET", "Projects?changed_since=" + query).status; };
  CHECK(status_for("2024-03-01T00:00:00-08:00") == 200);
  CHECK(status_for("2024-03-01T00:00:00%2B01:00") == 200);
  CHECK(status_for("2024-03-01T00:00:00.1234567-08:00") == 200);
  CHECK(status_for("2024-03-01T00:00:00.5%2B00:00") == 200);
  CHECK(status_for("2024-03-01") == 400);                          // date only
  CHECK(status_for("2024-03-01T00:00:00") == 400);                 // no offset
  CHECK(status_for("2024-03-01T00:00:00Z") == 400);                // Z is not zzz
  CHECK(status_for("2024-03-01T00:00:00+00:00") == 400);           // unencoded '+' arrives as a space
  CHECK(status_for("2024-03-01T00:00:00:1234567-08:00") == 400);   // colon before the fraction (V1 style)
  CHECK(status_for("2024-03-01T00:00:00.12345678-08:00") == 400);  // 8 fraction digits
  CHECK(status_for("2024-03-01T00:00:00-0800") == 400);
  CHECK(status_for("2024-02-30T00:00:00-08:00") == 400);
  CHECK(status_for("03/01/2024") == 400);
  auto r = h.api("GET", "Projects?changed_since=2024-03-01");
  CHECK(json::parse(r.body) ==
        json::parse(R"({"title":"changed_since must be yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz or yyyy-MM-ddTHH:mm:sszzz","status":400})"));
}

TEST_CASE("changed_since keeps projects changed strictly after the instant; RequestTimestamp round-trips") {
  harness h;
  // NM-00002 last changed 2024-03-05T16:45:00-08:00 = 2024-03-06T00:45:00Z.
  CHECK(ids(h.api_json("GET", "Projects?changed_since=2024-03-05T16:45:00-08:00")) ==
        std::vector<std::string>{"PRJ3D4R5F6T7"});
  CHECK(ids(h.api_json("GET", "Projects?changed_since=2024-03-06T00:44:59.9999999%2B00:00")) ==
        std::vector<std::string>{"PRJ5S6U7B8M9", "PRJ3D4R5F6T7"});

  h.advance(1234567ns * 100);  // a sub-second clock
  const auto first = h.api_json("GET", "Projects?changed_since=2024-06-01T00:00:00-08:00");
  CHECK(first["Projects"].empty());
  const auto stamp = first["RequestTimestamp"].get<std::string>();
  CHECK(stamp == "2025-01-15T09:00:00.1234567-08:00");
  h.advance(1s);
  h.api_json("POST", "Projects/PRJ3D4R5F6T7/Owner", R"({"OwnerEmail":"installer@example.com"})");
  h.advance(1s);
  CHECK(ids(h.api_json("GET", "Projects?changed_since=" + stamp)) == std::vector<std::string>{"PRJ3D4R5F6T7"});
}

TEST_CASE("limit and offset page through the creation order") {
  harness h;
  CHECK(ids(h.api_json("GET", "Projects?limit=2")) == std::vector<std::string>{"PRJ7K2M9Q4XZ", "PRJ5S6U7B8M9"});
  CHECK(ids(h.api_json("GET", "Projects?limit=2&offset=2")) == std::vector<std::string>{"PRJ3D4R5F6T7"});
  CHECK(ids(h.api_json("GET", "Projects?offset=5")).empty());
  CHECK(h.api("GET", "Projects?limit=1000").status == 200);
  CHECK(h.api("GET", "Projects?limit=1001").status == 400);
  CHECK(h.api("GET", "Projects?limit=0").status == 400);
  CHECK(h.api("GET", "Projects?limit=-1").status == 400);
  CHECK(h.api("GET", "Projects?offset=x").status == 400);
}

TEST_CASE("GetProjectByNumber answers known numbers in request order") {
  harness h;
  const auto list = h.api_json("POST", "Projects/ByNumber", R"({"ProjectNumbers":["NM-00002","NM-99999","NM-00001","NM-00002"]})");
  CHECK(ids(list) == std::vector<std::string>{"PRJ5S6U7B8M9", "PRJ7K2M9Q4XZ"});
  CHECK(list.contains("RequestTimestamp"));
  CHECK(h.api("POST", "Projects/ByNumber", R"({"Numbers":["NM-00001"]})").status == 400);
  CHECK(h.api("POST", "Projects/ByNumber", R"({"ProjectNumbers":[1]})").status == 400);
  CHECK(h.api("GET", "Projects/ByNumber").status == 405);
}

TEST_CASE("GetProjectsByData filters by current status, status date and submitted values") {
  harness h;
  const auto by = [&](const std::string& body) { return ids(h.api_json("POST", "Projects/ByData", body)); };
  CHECK(by("{}") == all_seeded);
  CHECK(by(R"({"FilterByCurrentStatuses":{"Operation":"Exclude","Status":[{"Id":"U5N0B1T2D3AA"},{"Id":"AppReview"}]}})") ==
        std::vector<std::string>{"PRJ7K2M9Q4XZ"});
  CHECK(by(R"({"FilterByCurrentStatuses":{"Operation":"Include","Status":[{"Id":"AppReview"}]}})") ==
        std::vector<std::string>{"PRJ5S6U7B8M9"});
  // Reached Application Review before 2024-02-01 (NM-00001 on 2024-01-12, NM-00002 on 2024-03-05).
  CHECK(by(R"({"FilterByStatusDate":{"Id":"AppReview","DateTime":"2024-02-01T00:00:00","Operator":"lt"}})") ==
        std::vector<std::string>{"PRJ7K2M9Q4XZ"});
  CHECK(by(R"({"FilterByStatusDate":{"Id":"AppReview","DateTime":"2024-03-05","Operator":"eq"}})") ==
        std::vector<std::string>{"PRJ5S6U7B8M9"});
  CHECK(by(R"({"DataFields":[{"Id":"MeterNo","Content":"MTR-2002","Operator":"eq"}]})") ==
        std::vector<std::string>{"PRJ5S6U7B8M9"});
  CHECK(by(R"({"DataFields":[{"Id":"SystemSizeKw","Content":"10","Operator":"gt"}]})") ==
        std::vector<std::string>{"PRJ5S6U7B8M9"});
  CHECK(by(R"({"DataFields":[{"Id":"InstallDates","Content":"2024-03-01","Operator":"lt"}]})") ==
        std::vector<std::string>{"PRJ7K2M9Q4XZ"});
  CHECK(by(R"({"DataFields":[{"Id":"DF1BATTERY01","Content":"false","Operator":"eq"}],
               "FilterByCurrentStatuses":{"Operation":"Include","Status":[{"Id":"Approved"}]}})") ==
        std::vector<std::string>{"PRJ7K2M9Q4XZ"});

  const auto status_of = [&](const std::string& body) { return h.api("POST", "Projects/ByData", body).status; };
  CHECK(status_of(R"({"DataFields":[{"Id":"InspectionDate","Content":"01/30/2024","Operator":"eq"}]})") == 400);
  CHECK(status_of(R"({"DataFields":[{"Id":"MeterNo","Content":"x","Operator":"like"}]})") == 400);
  CHECK(status_of(R"({"DataFields":[{"Id":"Nope","Content":"x","Operator":"eq"}]})") == 400);
  CHECK(status_of(R"({"DataFields":{"Id":"MeterNo","Content":"x","Operator":"eq"}})") == 400);
  CHECK(status_of(R"({"FilterByCurrentStatuses":{"Operation":"Drop","Status":[]}})") == 400);
  CHECK(status_of(R"({"FilterByStatusDate":{"Id":"AppReview","DateTime":"02/01/2024","Operator":"lt"}})") == 400);
  CHECK(status_of(R"({"FilterByStatuses":{}})") == 400);
  CHECK(status_of("[1,2") == 400);
}
