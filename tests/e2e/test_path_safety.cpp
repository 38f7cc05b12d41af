// Path safety end to end (issue 8 items 8 and 9): a native V2 traversal and a V1 id segment
// that could change the V2 path are answered 400 by pcbridge, and the simulator records
// nothing: no API call, no token request.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

TEST_CASE("path safety: native V2 traversal is a 400 and reaches nobody") {
  stack_options o;
  o.extra_config = "native_v2: { enabled: true }\n";
  stack s(o);
  s.clear_sim_requests();
  for (const std::string target : {"/services/v2/../../connect/token", "/services/v2/%2e%2e/%2e%2e/connect/token",
                                   "/services/v2/Programs/%252E%252E/%252E%252E/%252E%252E/connect/token"}) {
    CAPTURE(target);
    const reply r = s.v1("POST", target, "grant_type=client_credentials",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/problem+json");
    const auto body = nlohmann::json::parse(r.body);
    CHECK(body["status"] == 400);
    CHECK(contains(body["title"].get<std::string>(), "is not allowed: '.' and '..' segments are refused"));
  }
  CHECK(s.sim_requests().empty());
  // An ordinary native call still goes through.
  CHECK(s.v1("GET", v2 + "/Forms").status == 200);
  CHECK(s.sim_api_requests().size() == 1);
}

TEST_CASE("path safety: a V1 id segment outside the id characters is a 400 naming it, nothing upstream") {
  stack s;
  s.clear_sim_requests();
  for (const std::string id : {"PRJ7K2M9Q4XZ%2F..%2F..", "PRJ%5CX", "PRJ%3Fx=1", "PRJ%23x", "PRJ;x", "%252e%252e"}) {
    CAPTURE(id);
    const reply r = s.v1("GET", v1 + "/Projects/" + id + "/Forms/" + form + "/Data");
    check_v1_error(r, 400,
                   "path segment &quot;" + id +
                       "&quot; is not allowed: ids and path segments may only hold letters, digits, "
                       "'-', '_', '.' and '~'");
  }
  CHECK(s.sim_requests().empty());
  CHECK(s.v1("GET", v1 + "/Forms").status == 200);
  CHECK(s.sim_api_requests().size() == 1);
}
