// Fault injection: count, method filter, answers before and after processing, drops, delays.
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;

namespace {
std::size_t project_count(harness& h) { return h.api_json("GET", "Projects")["Projects"].size(); }
}  // namespace

TEST_CASE("a fault answers the next `count` matching calls, then the real service answers again") {
  harness h;
  CHECK(h.control("POST", "/__sim/faults", R"({"match":"/NewProject","status":500,"count":2})") ==
        json::parse(R"({"queued":1})"));
  auto first = h.api("POST", "NewProject");
  CHECK(first.status == 500);
  CHECK(first.headers.find("Content-Type").value() == "application/problem+json");
  CHECK(json::parse(first.body) == json::parse(R"({"title":"Injected fault","status":500})"));
  CHECK(h.api("GET", "Projects").status == 200);  // does not match
  CHECK(h.api("POST", "NewProject").status == 500);
  CHECK(project_count(h) == 3);  // neither faulted create was processed
  CHECK(h.api("POST", "NewProject").status == 200);
  CHECK(project_count(h) == 4);
  CHECK(h.control("GET", "/__sim/faults") == json::array());
}

TEST_CASE("after_processing applies the write exactly once, then answers the fault") {
  harness h;
  const auto id = h.api_json("POST", "NewProject")["Project"]["ProjectId"].get<std::string>();
  h.api_json("POST", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Data",
             R"({"Project":{"DataFields":[{"DataFieldId":"CustomerName","Value":"A"},{"DataFieldId":"SystemSizeKw","Value":"1"},{"DataFieldId":"Utility","Value":"City Light"}]}})");
  h.control("POST", "/__sim/faults", R"({"match":"/Draft/Submit","method":"post","status":502,"after_processing":true})");
  CHECK(h.api("POST", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Submit").status == 502);
  // The submit happened once: one number, one new history entry.
  const auto history = h.api_json("GET", "Projects/NM-00003/StatusHistory");
  CHECK(history["Project"]["ProjectId"] == id);
  CHECK(history["Project"]["StatusHistory"].size() == 2);
  // A retry by the caller is now refused by the service itself.
  CHECK(h.api("POST", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Submit").status == 409);
  CHECK(h.api_json("GET", "Projects/NM-00003/StatusHistory")["Project"]["StatusHistory"].size() == 2);
}

TEST_CASE("drop and delay faults, with or without processing") {
  harness h;
  h.control("POST", "/__sim/faults", R"([{"match":"NewProject","drop":true},{"match":"NewProject","drop":true,"after_processing":true}])");
  auto dropped = h.api("POST", "NewProject");
  CHECK(dropped.drop_connection);
  CHECK(project_count(h) == 3);
  auto dropped_after = h.api("POST", "NewProject");
  CHECK(dropped_after.drop_connection);
  CHECK(project_count(h) == 4);

  h.control("POST", "/__sim/faults", R"({"match":"/Programs","method":"GET","delay_ms":250,"headers":{"X-Test":"1"}})");
  auto delayed = h.api("GET", "/services/v2/Programs");
  CHECK(delayed.status == 200);  // processed normally, only late
  CHECK(delayed.delay_ms == 250);
  CHECK(delayed.headers.find("X-Test").value() == "1");
  CHECK(json::parse(delayed.body)["Programs"].size() == 2);
}

TEST_CASE("a fault can carry its own body and headers, e.g. a 429 with Retry-After") {
  harness h;
  h.fetch_token();  // an empty match would hit the token request too
  h.control("POST", "/__sim/faults", R"({"match":"","status":429,"body":"{\"title\":\"slow down\"}","headers":{"Retry-After":"2"}})");
  auto r = h.api("GET", "Projects");
  CHECK(r.status == 429);
  CHECK(r.body == R"({"title":"slow down"})");
  CHECK(r.headers.find("Retry-After").value() == "2");
  CHECK(r.headers.find("Content-Type").value() == "application/json; charset=utf-8");
}

TEST_CASE("faults match the token endpoint too") {
  harness h;
  h.control("POST", "/__sim/faults", R"({"match":"/connect/token","status":500})");
  CHECK(h.fetch_token_response("grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret").status == 500);
  CHECK(h.control("GET", "/__sim/stats")["tokens_issued"] == 0);
}

TEST_CASE("faults apply only to authenticated, admitted calls") {
  harness h;
  h.control("POST", "/__sim/faults", R"({"match":"Projects","status":500})");
  CHECK(h.call("GET", program_path + "/Projects").status == 401);  // no token: the fault stays queued
  CHECK(h.api("GET", "Projects").status == 500);
}

TEST_CASE("invalid faults are refused whole; DELETE clears the queue") {
  harness h;
  const auto status_of = [&](const std::string& body) { return h.call("POST", "/__sim/faults", body).status; };
  CHECK(status_of(R"({"match":"x","status":500,"after_procesing":true})") == 400);  // typo
  CHECK(status_of(R"({"match":"x"})") == 400);                                      // does nothing
  CHECK(status_of(R"({"match":"x","status":42})") == 400);
  CHECK(status_of(R"({"match":"x","body":"b"})") == 400);
  CHECK(status_of(R"({"match":"x","status":500,"count":0})") == 400);
  CHECK(status_of(R"([{"match":"x","status":500},{"match":"y"}])") == 400);
  CHECK(h.control("GET", "/__sim/faults") == json::array());
  h.control("POST", "/__sim/faults", R"({"match":"x","status":500,"count":3})");
  CHECK(h.control("GET", "/__sim/faults")[0] == json::parse(R"({"match":"x","method":null,"status":500,"body":null,
    "count":3,"delay_ms":0,"drop":false,"headers":{},"after_processing":false})"));
  CHECK(h.control("DELETE", "/__sim/faults") == json::parse(R"({"cleared":1})"));
}
