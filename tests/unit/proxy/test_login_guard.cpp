// Issue 8 item 11: bounded memory of refused credential pairs, and a global bucket for
// token fetches with unproven pairs.
#include <doctest/doctest.h>

#include "proxy/login_guard.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {
login_guard::digest pair_no(int n) {
  login_guard::digest d{};
  d[0] = static_cast<unsigned char>(n & 0xFF);
  d[1] = static_cast<unsigned char>((n >> 8) & 0xFF);
  return d;
}
const login_guard::clock::time_point t0 = login_guard::clock::time_point{} + 1000h;
}  // namespace

TEST_CASE("a refused pair is remembered for the TTL, then forgotten") {
  login_guard g;
  CHECK(g.refused(pair_no(1), t0) == nullptr);
  g.remember_refusal(pair_no(1), "token endpoint answered 400 (invalid_client)", t0);
  REQUIRE(g.refused(pair_no(1), t0 + 299s) != nullptr);
  CHECK(*g.refused(pair_no(1), t0 + 299s) == "token endpoint answered 400 (invalid_client)");
  CHECK(g.refused(pair_no(2), t0) == nullptr);
  CHECK(g.refused(pair_no(1), t0 + 300s) == nullptr);
  CHECK(g.remembered() == 0);
}

TEST_CASE("the memory is bounded: the oldest refusal goes first") {
  login_guard g(login_guard::options{3, 300s, 2.0, 10.0});
  for (int i = 0; i < 5; ++i) g.remember_refusal(pair_no(i), "r" + std::to_string(i), t0);
  CHECK(g.remembered() == 3);
  CHECK(g.refused(pair_no(0), t0) == nullptr);
  CHECK(g.refused(pair_no(1), t0) == nullptr);
  CHECK(*g.refused(pair_no(4), t0) == "r4");
  g.remember_refusal(pair_no(2), "again", t0);  // refreshed: now the newest
  g.remember_refusal(pair_no(9), "r9", t0);
  CHECK(g.refused(pair_no(3), t0) == nullptr);
  CHECK(*g.refused(pair_no(2), t0) == "again");
}

TEST_CASE("unproven fetches: a burst of 10, then 2 per second") {
  login_guard g;
  int allowed = 0;
  for (int i = 0; i < 3000; ++i) allowed += g.take_unknown_fetch(t0);
  CHECK(allowed == 10);
  allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += g.take_unknown_fetch(t0 + 500ms);
  CHECK(allowed == 1);
  allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += g.take_unknown_fetch(t0 + 1h);
  CHECK(allowed == 10);  // refills to the burst, not beyond
}
