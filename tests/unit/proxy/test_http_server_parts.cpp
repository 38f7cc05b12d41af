// Pieces of the HTTP server that need no socket: the cap on buffered request bodies and
// the checks of a request head.
#include <doctest/doctest.h>

#include "proxy/body_budget.hpp"
#include "proxy/http_wire.hpp"

namespace pcbridge::proxy {
namespace {

TEST_CASE("body_budget: reservations share one cap and give their bytes back") {
  body_budget budget(100);
  {
    body_budget::reservation a(budget);
    CHECK(a.grow_to(60));
    body_budget::reservation b(budget);
    CHECK_FALSE(b.grow_to(41));  // 60 + 41 > 100: refused, nothing held
    CHECK(b.held() == 0);
    CHECK(b.grow_to(40));
    CHECK(budget.in_use() == 100);
    CHECK(a.grow_to(60));  // already held: no more taken
    CHECK_FALSE(a.grow_to(61));
    CHECK(a.held() == 60);
  }
  CHECK(budget.in_use() == 0);
}

TEST_CASE("body_budget: grown piece by piece (a chunked body) and with no cap") {
  body_budget budget(10);
  body_budget::reservation r(budget);
  for (std::size_t n = 1; n <= 10; ++n) CHECK(r.grow_to(n));
  CHECK_FALSE(r.grow_to(11));
  body_budget unlimited(0);
  body_budget::reservation big(unlimited);
  CHECK(big.grow_to(std::size_t{1} << 40));
}

request_head with_hosts(unsigned version, int hosts) {
  request_head h;
  h.version(version);
  h.method(http::verb::get);
  h.target("/");
  for (int i = 0; i < hosts; ++i) h.insert(http::field::host, "h" + std::to_string(i));
  return h;
}

TEST_CASE("head_problem: HTTP/1.1 needs exactly one Host, HTTP/1.0 at most one") {
  CHECK_FALSE(wire::head_problem(with_hosts(11, 1)));
  CHECK(wire::head_problem(with_hosts(11, 0)) == "an HTTP/1.1 request needs a Host header");
  CHECK(wire::head_problem(with_hosts(11, 2)) == "more than one Host header");
  CHECK_FALSE(wire::head_problem(with_hosts(10, 0)));
  CHECK(wire::head_problem(with_hosts(10, 2)) == "more than one Host header");
}

}  // namespace
}  // namespace pcbridge::proxy
