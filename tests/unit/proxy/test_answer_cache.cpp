#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <vector>

#include "proxy/answer_cache.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {

struct fixture {
  boost::asio::io_context io;
  token_clock::time_point now = token_clock::time_point{} + 1000h;
  answer_cache cache{io.get_executor(), [this] { return now; }};
  int fetches = 0;
  int status = 200;

  awaitable<std::shared_ptr<const upstream_result>> fetch() {
    ++fetches;
    boost::asio::steady_timer t(io, 5ms);
    co_await t.async_wait(use_tuple);
    auto r = std::make_shared<upstream_result>();
    r->response.result(status);
    r->response.body() = "answer-" + std::to_string(fetches);
    co_return r;
  }

  std::vector<cached_answer> get_many(int count, const std::string& key, std::chrono::seconds ttl, bool bypass = false) {
    std::vector<cached_answer> out(count);
    answer_cache::fetch_function f = [this] { return fetch(); };
    for (int i = 0; i < count; ++i)
      boost::asio::co_spawn(
          io, [&, i]() -> awaitable<void> { out[i] = co_await cache.get(key, ttl, bypass, f); }, boost::asio::detached);
    io.restart();
    io.run();
    return out;
  }
};

}  // namespace

TEST_CASE("identical concurrent GETs share one upstream call") {
  fixture f;
  auto answers = f.get_many(4, "k", 0s);
  CHECK(f.fetches == 1);
  CHECK(answers[0].outcome == cache_outcome::miss);
  for (int i = 1; i < 4; ++i) {
    CHECK(answers[i].outcome == cache_outcome::coalesced);
    CHECK(answers[i].result->response.body() == "answer-1");
  }
  // ttl 0: nothing stored, the next call fetches again.
  CHECK(f.get_many(1, "k", 0s)[0].result->response.body() == "answer-2");
}

TEST_CASE("2xx answers are served from the cache until the TTL passes") {
  fixture f;
  f.get_many(1, "k", 300s);
  f.now += 299s;
  auto hit = f.get_many(1, "k", 300s)[0];
  CHECK(hit.outcome == cache_outcome::hit);
  CHECK(hit.result->response.body() == "answer-1");
  f.now += 2s;
  auto miss = f.get_many(1, "k", 300s)[0];
  CHECK(miss.outcome == cache_outcome::miss);
  CHECK(miss.result->response.body() == "answer-2");
  CHECK(f.get_many(1, "other", 300s)[0].result->response.body() == "answer-3");
}

TEST_CASE("peek gives the stored answer until the TTL passes, and never fetches") {
  fixture f;
  CHECK(f.cache.peek("k") == nullptr);  // nothing stored yet
  f.get_many(1, "k", 300s);
  f.get_many(1, "uncached", 0s);  // ttl 0: coalescing only, nothing stored
  f.now += 299s;
  const auto stored = f.cache.peek("k");
  REQUIRE(stored != nullptr);
  CHECK(stored->response.body() == "answer-1");
  CHECK(f.cache.peek("uncached") == nullptr);
  f.now += 1s;  // expiry is exclusive, as for get
  CHECK(f.cache.peek("k") == nullptr);
  CHECK(f.fetches == 2);
}

TEST_CASE("no-cache bypasses the stored answer and refreshes it") {
  fixture f;
  f.get_many(1, "k", 300s);
  auto bypass = f.get_many(1, "k", 300s, true)[0];
  CHECK(bypass.outcome == cache_outcome::bypass);
  CHECK(bypass.result->response.body() == "answer-2");
  CHECK(f.get_many(1, "k", 300s)[0].result->response.body() == "answer-2");
}

TEST_CASE("error answers are shared by concurrent callers but never stored") {
  fixture f;
  f.status = 503;
  auto answers = f.get_many(2, "k", 300s);
  CHECK(f.fetches == 1);
  CHECK(answers[1].outcome == cache_outcome::coalesced);
  CHECK(f.cache.peek("k") == nullptr);
  f.status = 200;
  CHECK(f.get_many(1, "k", 300s)[0].outcome == cache_outcome::miss);
  CHECK(f.fetches == 2);
}
