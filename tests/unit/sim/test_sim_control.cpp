// Request recording, statistics, reset and the control API's own errors.
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;

TEST_CASE("every token and API request is recorded in order, as received") {
  harness h;
  h.fetch_token();
  h.api("POST", "Projects/ByNumber", R"({"ProjectNumbers":["NM-00001"]})", {{"X-Request-Id", "abc"}});
  h.call("GET", "/services/v2/Programs");  // unauthenticated: recorded too
  h.call("GET", "/elsewhere");             // neither API nor token: not recorded
  h.control("GET", "/__sim/stats");        // control calls are not recorded

  const auto recorded = h.control("GET", "/__sim/requests");
  REQUIRE(recorded.size() == 3);
  CHECK(recorded[0] == json::parse(R"({"method":"POST","target":"/connect/token",
    "headers":{"content-type":"application/x-www-form-urlencoded"},
    "body":"grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret",
    "body_size":77,"status":200,"dropped":false})"));
  CHECK(recorded[1]["method"] == "POST");
  CHECK(recorded[1]["target"] == "/services/v2/Programs/PRG0M4A7B2CD/Projects/ByNumber");
  CHECK(recorded[1]["headers"] == json::parse(R"({"x-request-id":"abc","authorization":"Bearer )" + h.token +
                                              R"(","x-apikey":"demo-key","content-type":"application/json"})"));
  CHECK(recorded[1]["body"] == R"({"ProjectNumbers":["NM-00001"]})");
  CHECK(recorded[1]["status"] == 200);
  CHECK(recorded[2]["status"] == 401);

  CHECK(h.control("DELETE", "/__sim/requests") == json::parse(R"({"cleared":3})"));
  CHECK(h.control("GET", "/__sim/requests") == json::array());
}

TEST_CASE("recording keeps the first 64 KiB of a body and the real size; repeated headers are joined") {
  harness h;
  h.fetch_token();
  const std::string big(70 * 1024, 'x');
  h.api("POST", "Projects/PRJ7K2M9Q4XZ/Forms/InterconnectionApp/Attachments/AT2SITEPLAN2", big,
        {{"Content-Type", "application/octet-stream"}, {"Accept", "a"}, {"accept", "b"}});
  const auto last = h.control("GET", "/__sim/requests").back();
  CHECK(last["body_size"] == 70 * 1024);
  CHECK(last["body"].get<std::string>().size() == 64 * 1024);
  CHECK(last["headers"]["accept"] == "a, b");
}

TEST_CASE("a dropped answer is recorded as dropped") {
  harness h;
  h.fetch_token();
  h.control("POST", "/__sim/faults", R"({"match":"Programs","drop":true})");
  h.api("GET", "/services/v2/Programs");
  CHECK(h.control("GET", "/__sim/requests").back()["dropped"] == true);
}

TEST_CASE("/__sim/reset restores the seed data and clears everything else") {
  harness h;
  h.fetch_token();
  h.api_json("POST", "NewProject");
  h.control("POST", "/__sim/faults", R"({"match":"zzz","status":500})");
  h.control("POST", "/__sim/clock/advance", R"({"seconds":10})");
  h.control("POST", "/__sim/token_endpoint", R"({"fail":1})");
  CHECK(h.control("POST", "/__sim/reset") == json::parse(R"({"reset":true})"));

  CHECK(h.control("GET", "/__sim/stats") == json::parse(R"({"token_fetches":0,"tokens_issued":0,
    "operations":{},"max_ops_in_window":{},"rejected_429":0})"));
  CHECK(h.control("GET", "/__sim/requests") == json::array());
  CHECK(h.control("GET", "/__sim/faults") == json::array());
  CHECK(h.control("GET", "/__sim/clock")["offset_seconds"] == 0.0);
  CHECK(h.api("GET", "Projects").status == 401);  // old tokens are gone
  h.fetch_token();                                 // and the token endpoint works again
  CHECK(h.api_json("GET", "Projects")["Projects"].size() == 3);
  CHECK(h.api_json("POST", "NewProject")["Project"]["ProjectId"] == "PRJ000000001");  // ids restart
}

TEST_CASE("control API errors") {
  harness h;
  CHECK(h.call("GET", "/__sim/nothing").status == 404);
  CHECK(h.call("PUT", "/__sim/requests").status == 405);
  CHECK(h.call("POST", "/__sim/faults", "{").status == 400);
  CHECK(h.call("POST", "/__sim/token_endpoint", R"({"fail":1,"status":200})").status == 400);
  CHECK(h.call("POST", "/__sim/token_endpoint", "[]").status == 400);
  CHECK(h.call("POST", "/__sim/clock/advance", "{}").status == 400);
}
