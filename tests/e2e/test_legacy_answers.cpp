// End-to-end: what every legacy client gets whatever happened (issue 10 items 8, 9):
// x-amzn-RequestId on each answer, pcbridge's own errors included (mapping.md §7); an empty
// 2xx upstream answer as the method's empty V1 root (§4 rule 9).
#include <doctest/doctest.h>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
const std::string xsd_xsi =
    " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

void inject(const stack& s, const std::string& fault_json) {
  REQUIRE(s.sim_post("/__sim/faults", fault_json).status / 100 == 2);
}

}  // namespace

TEST_CASE("legacy answers: x-amzn-RequestId is on pcbridge's own 401, its 404 and a translated answer") {
  stack s;
  const reply unauthorized = s.v1_as(user, "wrong-password", "GET", v1 + "/Forms");
  check_v1_error(unauthorized, 401);
  CHECK_FALSE(unauthorized.header("x-request-id").empty());
  CHECK(unauthorized.header("x-amzn-requestid") == unauthorized.header("x-request-id"));

  const reply unknown = s.v1("GET", "/NotServices/v1/Programs");  // outside /Services.svc/v1: pcbridge's 404
  check_v1_error(unknown, 404);
  CHECK(unknown.header("x-amzn-requestid") == unknown.header("x-request-id"));

  const reply ok = s.v1("GET", v1 + "/Forms");
  REQUIRE(ok.status == 200);
  CHECK(ok.header("x-amzn-requestid") == ok.header("x-request-id"));
}

TEST_CASE("legacy answers: upstream's x-amzn-RequestId wins over pcbridge's, on an error and on a success") {
  stack s;
  inject(s, R"({"match":"/Projects","method":"GET","status":404,"headers":{"x-amzn-RequestId":"up-404-id"}})");
  const reply missing = s.v1("GET", v1 + "/Projects");
  CHECK(missing.status == 404);
  CHECK(missing.header("x-amzn-requestid") == "up-404-id");

  inject(s, R"({"match":"/Forms","method":"GET","headers":{"x-amzn-RequestId":"up-200-id"}})");
  const reply forms = s.v1("GET", v1 + "/Forms", {}, {{"Cache-Control", "no-cache"}});
  REQUIRE(forms.status == 200);
  CHECK(forms.header("x-amzn-requestid") == "up-200-id");
}

TEST_CASE("legacy answers: an empty 200 from upstream becomes the method's empty V1 root, not an empty body") {
  stack s;
  inject(s, R"({"match":"/Projects","method":"GET","status":200,"body":""})");
  const reply r = s.v1("GET", v1 + "/Projects");
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(r.body == declaration + "<ProjectsResponse " + v1_ns + xsd_xsi + "/>");
}
