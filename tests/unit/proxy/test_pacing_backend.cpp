// Issue 8 item 12: a client inventing X-ApiKeys made pcbridge keep pacing state per key
// for ever.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "proxy/pacing_backend.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {
struct fixture {
  boost::asio::io_context io;
  pacing::time_point now = pacing::time_point{} + 1000h;
  pacing_settings settings{60, 60000ms, 5, 250ms};
  memory_pacing_backend backend{settings, 1000, [this] { return now; }};

  std::chrono::milliseconds start(const std::string& key) {
    std::chrono::milliseconds out{-1};
    boost::asio::co_spawn(io, [&]() -> awaitable<void> { out = co_await backend.try_start(key); }, boost::asio::detached);
    io.restart();
    io.run();
    return out;
  }
};
}  // namespace

TEST_CASE("1,500 invented keys: the state is capped, a new key past the cap waits, idle keys are dropped") {
  fixture f;
  int started = 0;
  for (int i = 0; i < 1500; ++i) started += f.start("invented-" + std::to_string(i)) == 0ms;
  CHECK(started == 1000);
  CHECK(f.backend.tracked_keys() == 1000);
  // The 1,001st key is told to wait until the oldest key's state goes idle: one
  // interval (GCRA) is 1 s, the window plus margin 60.25 s.
  CHECK(f.start("one-more") == 60250ms);
  f.now += 60250ms;
  CHECK(f.start("one-more") == 0ms);
  CHECK(f.backend.tracked_keys() == 1);  // every other key went idle and was dropped
}

TEST_CASE("a key still limited is kept and keeps its pacing") {
  fixture f;
  for (int i = 0; i < 5; ++i) CHECK(f.start("busy") == 0ms);  // the burst
  CHECK(f.start("busy") == 1000ms);
  f.now += 30s;
  CHECK(f.start("other") == 0ms);
  CHECK(f.backend.tracked_keys() == 2);
  f.now += 30s;  // 60 s after the first starts: still within window + margin
  CHECK(f.start("third") == 0ms);
  CHECK(f.backend.tracked_keys() == 3);
  f.now += 251ms;
  f.start("third");
  CHECK(f.backend.tracked_keys() == 2);  // "busy" went idle and was dropped; "other" (30 s later) is kept
}
