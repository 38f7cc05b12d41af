#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <vector>

#include "proxy/token_cache.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {

// A fake token endpoint: counts fetches, answers after `latency` of real time with
// "token-N", lifetime `lifetime`, or fails when `fail` is set.
struct fake_endpoint {
  boost::asio::io_context& io;
  int fetches = 0;
  std::chrono::seconds lifetime{3600};
  std::chrono::milliseconds latency{5};
  bool fail = false;
  bool reject = false;

  awaitable<fetched_token> fetch(const token_credentials& creds) {
    ++fetches;
    boost::asio::steady_timer t(io, latency);
    co_await t.async_wait(use_tuple);
    fetched_token out;
    if (fail || reject) {
      out.credentials_rejected = reject;
      out.error = "token endpoint answered 400 (invalid_client)";
      co_return out;
    }
    out.ok = true;
    out.access_token = creds.client_id + "-token-" + std::to_string(fetches);
    out.expires_in = lifetime;
    co_return out;
  }
};

struct fixture {
  boost::asio::io_context io;
  fake_endpoint endpoint{io};
  token_clock::time_point now = token_clock::time_point{} + 1000h;
  token_cache cache{io.get_executor(), [this](const token_credentials& c) { return endpoint.fetch(c); },
                    [this] { return now; }, 300s};
  token_credentials creds{"abc", "xyz"};

  // Runs `count` concurrent get() calls to completion and returns their answers.
  std::vector<token_lookup> get_many(int count, const token_credentials& c) {
    std::vector<token_lookup> out(count);
    for (int i = 0; i < count; ++i)
      boost::asio::co_spawn(io, [&, i]() -> awaitable<void> { out[i] = co_await cache.get(c); }, boost::asio::detached);
    io.restart();
    io.run();
    return out;
  }
  token_lookup get_one() { return get_many(1, creds)[0]; }
};

}  // namespace

TEST_CASE("concurrent callers share one fetch") {
  fixture f;
  auto answers = f.get_many(10, f.creds);
  CHECK(f.endpoint.fetches == 1);
  for (auto& a : answers) {
    CHECK(a.ok);
    CHECK(a.access_token == "abc-token-1");
  }
}

TEST_CASE("a cached token is reused until its refresh time") {
  fixture f;
  CHECK(f.get_one().access_token == "abc-token-1");
  f.now += 3299s;  // refresh at 3600 - 300
  CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 1);
}

TEST_CASE("refresh ahead of expiry: the still-valid token is served while one refresh runs") {
  fixture f;
  f.get_one();
  f.now += 3400s;  // past refresh time, 200 s before expiry
  auto answers = f.get_many(5, f.creds);
  for (auto& a : answers) CHECK(a.access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 2);  // exactly one background refresh
  CHECK(f.get_one().access_token == "abc-token-2");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("an expired token is never handed out: callers wait for the new one") {
  fixture f;
  f.get_one();
  f.now += 3600s;
  auto answers = f.get_many(3, f.creds);
  for (auto& a : answers) CHECK(a.access_token == "abc-token-2");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("a token within seconds of expiry counts as expired") {
  fixture f;
  f.get_one();
  f.now += 3597s;
  CHECK(f.get_one().access_token == "abc-token-2");
}

TEST_CASE("short-lived tokens refresh at half their life") {
  fixture f;
  f.endpoint.lifetime = 60s;
  f.get_one();
  f.now += 29s;
  f.get_one();
  CHECK(f.endpoint.fetches == 1);
  f.now += 2s;  // 31 s: past half life, still valid -> background refresh
  CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("a failed fetch fails closed for every waiter, and the next call tries again") {
  fixture f;
  f.endpoint.fail = true;
  auto answers = f.get_many(4, f.creds);
  CHECK(f.endpoint.fetches == 1);
  for (auto& a : answers) {
    CHECK_FALSE(a.ok);
    CHECK(a.access_token.empty());
    CHECK(a.error == "token endpoint answered 400 (invalid_client)");
  }
  CHECK(f.cache.fetch_failures() == 1);
  f.endpoint.fail = false;
  f.now += 1s;  // past the first backoff
  CHECK(f.get_one().access_token == "abc-token-2");
}

TEST_CASE("after a failure callers get an answer at once until the backoff passes; it doubles up to 30 s") {
  fixture f;
  f.endpoint.fail = true;
  f.get_one();
  CHECK(f.endpoint.fetches == 1);
  auto quick = f.get_one();  // within the 1 s backoff: no new fetch, same error
  CHECK_FALSE(quick.ok);
  CHECK(quick.error == "token endpoint answered 400 (invalid_client)");
  CHECK(f.endpoint.fetches == 1);
  f.now += 1s;
  f.get_one();
  CHECK(f.endpoint.fetches == 2);  // second failure: 2 s backoff
  f.now += 1s;
  f.get_one();
  CHECK(f.endpoint.fetches == 2);
  f.now += 1s;
  f.get_one();
  CHECK(f.endpoint.fetches == 3);
  for (int i = 0; i < 10; ++i) {
    f.now += 30s;
    f.get_one();
  }
  CHECK(f.endpoint.fetches == 13);  // capped at 30 s: one attempt per 30 s
  f.endpoint.fail = false;
  f.now += 30s;
  CHECK(f.get_one().ok);
}

TEST_CASE("rejected credentials are reported as such") {
  fixture f;
  f.endpoint.reject = true;
  auto a = f.get_one();
  CHECK_FALSE(a.ok);
  CHECK(a.credentials_rejected);
}

TEST_CASE("invalidate drops only the token the upstream rejected") {
  fixture f;
  f.get_one();
  f.cache.invalidate(f.creds, "some-older-token");
  CHECK(f.get_one().access_token == "abc-token-1");
  f.cache.invalidate(f.creds, "abc-token-1");
  CHECK(f.get_one().access_token == "abc-token-2");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("tokens are cached per client id and secret") {
  fixture f;
  CHECK(f.get_many(1, {"abc", "xyz"})[0].access_token == "abc-token-1");
  CHECK(f.get_many(1, {"abc", "other-secret"})[0].access_token == "abc-token-2");
  CHECK(f.get_many(1, {"def", "xyz"})[0].access_token == "def-token-3");
  CHECK(f.get_many(1, {"abc", "xyz"})[0].access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 3);
}

TEST_CASE("forced refreshes after upstream 401s are limited to one per client per 10 s") {
  fixture f;
  f.get_one();
  CHECK(f.cache.invalidate(f.creds, "abc-token-1"));       // first 401: refresh
  CHECK(f.get_one().access_token == "abc-token-2");
  f.now += 5s;
  CHECK_FALSE(f.cache.invalidate(f.creds, "abc-token-2"));  // another 401 soon after: keep the token
  CHECK(f.get_one().access_token == "abc-token-2");
  CHECK(f.endpoint.fetches == 2);
  f.now += 6s;
  CHECK(f.cache.invalidate(f.creds, "abc-token-2"));        // 11 s later: allowed again
  CHECK(f.get_one().access_token == "abc-token-3");
}
