#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>
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
  std::optional<fetched_token> answer;  // answered as is when set

  awaitable<fetched_token> fetch(const token_credentials& creds) {
    ++fetches;
    boost::asio::steady_timer t(io, latency);
    co_await t.async_wait(use_tuple);
    if (answer) co_return *answer;
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
  std::vector<token_lookup> get_many(int count, const token_credentials& c,
                                     token_cache::trust from = token_cache::trust::configured) {
    std::vector<token_lookup> out(count);
    for (int i = 0; i < count; ++i)
      boost::asio::co_spawn(io, [&, i]() -> awaitable<void> { out[i] = co_await cache.get(c, from); }, boost::asio::detached);
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

// Issue 8 item 10: lifetimes of 1-5 s were never usable (the fixed 5 s in-flight safety)
// and every request fetched a token and answered 503 with an empty reason.
TEST_CASE("a 3 s token is used, refreshed at half its life, and not refetched per request") {
  fixture f;
  f.endpoint.lifetime = 3s;
  auto first = f.get_one();
  CHECK(first.ok);
  CHECK(first.access_token == "abc-token-1");
  for (int i = 0; i < 5; ++i) CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 1);
  f.now += 1400ms;
  CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 1);
  f.now += 200ms;  // 1.6 s: past the refresh time (1.5 s), still valid (until 2.4 s)
  CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 2);
  CHECK(f.get_one().access_token == "abc-token-2");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("a 1 s token is usable too") {
  fixture f;
  f.endpoint.lifetime = 1s;
  CHECK(f.get_one().ok);
  f.now += 700ms;  // within 1 s - 200 ms safety
  CHECK(f.get_one().access_token == "abc-token-1");
  f.now += 200ms;  // 900 ms: within the safety: never handed out, a new one is fetched
  CHECK(f.get_one().access_token == "abc-token-2");
}

TEST_CASE("a huge lifetime from the fetch seam is clamped, not overflowed") {
  fixture f;
  f.endpoint.lifetime = std::chrono::seconds(10'000'000'000LL);
  CHECK(f.get_one().access_token == "abc-token-1");
  f.now += 86400s - 301s;  // clamped to a day, refreshed 300 s before
  CHECK(f.get_one().access_token == "abc-token-1");
  CHECK(f.endpoint.fetches == 1);
  f.now += 2s;
  f.get_one();
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("an unusable answer is a failure with a reason and goes through the backoff") {
  fixture f;
  fetched_token bad;
  bad.ok = true;
  bad.access_token = "abc\r\nX-Evil: 1";
  bad.expires_in = 3600s;
  f.endpoint.answer = bad;
  auto a = f.get_one();
  CHECK_FALSE(a.ok);
  CHECK(a.access_token.empty());
  CHECK(a.error == "token endpoint gave an access_token that is not a valid header value");
  CHECK(f.get_one().error == a.error);  // within the backoff: no new fetch
  CHECK(f.endpoint.fetches == 1);
  CHECK(f.cache.last_error(f.creds) == a.error);
  bad.access_token = "fine";
  bad.expires_in = 0s;
  f.endpoint.answer = bad;
  f.now += 1s;
  CHECK(f.get_one().error == "token endpoint gave no usable expires_in");
  CHECK(f.endpoint.fetches == 2);
}

TEST_CASE("a failure's message is never empty, and never the secret") {
  fixture f;
  f.creds = {"abc", "the-client-secret"};
  fetched_token silent;  // not ok, no error text at all
  f.endpoint.answer = silent;
  CHECK(f.get_one().error == "token endpoint gave no usable answer");
  fetched_token echo;
  echo.error = "token endpoint answered 400 (invalid_client): bad secret the-client-secret, sent as the%2Dclient";
  f.endpoint.answer = echo;
  f.now += 1s;
  auto a = f.get_one();
  CHECK(a.error == "token endpoint answered 400 (invalid_client): bad secret ***, sent as the%2Dclient");
  CHECK(f.cache.last_error(f.creds) == a.error);
  echo.error = "echo: client_secret=s%3Dcr+t&x";  // form-encoded "s=cr t"
  f.endpoint.answer = echo;
  f.creds = {"def", "s=cr t"};
  CHECK(f.get_one().error == "echo: client_secret=***&x");
}

// Issue 8 item 11: with basic_as_client_credentials every bogus pair was one token call.
TEST_CASE("unproven credentials: a refused pair is answered from memory, new pairs are rate-limited") {
  fixture f;
  f.endpoint.reject = true;
  const token_credentials bogus{"mallory", "guess-1"};
  const auto unproven = token_cache::trust::unproven;
  auto first = f.get_many(1, bogus, unproven)[0];
  CHECK_FALSE(first.ok);
  CHECK(first.credentials_rejected);
  CHECK(f.endpoint.fetches == 1);
  CHECK(f.cache.tracked_credentials() == 0);  // nothing kept but the digest
  CHECK(f.cache.guard().remembered() == 1);
  f.now += 60s;  // long past any backoff: still answered from memory
  auto again = f.get_many(3, bogus, unproven);
  for (auto& a : again) {
    CHECK(a.credentials_rejected);
    CHECK(a.error == "token endpoint answered 400 (invalid_client)");
  }
  CHECK(f.endpoint.fetches == 1);
  f.now += 300s;  // the memory lapses: asked again
  f.get_many(1, bogus, unproven);
  CHECK(f.endpoint.fetches == 2);

  // 3,000 distinct pairs at once: the bucket (burst 10) lets 10 through, the rest are
  // refused with a reason and no token call.
  int limited = 0;
  for (int i = 0; i < 3000; ++i) {
    auto a = f.get_many(1, {"mallory", "pw-" + std::to_string(i)}, unproven)[0];
    if (a.error == "too many sign-ins with unverified credentials at once; retry in a few seconds") ++limited;
  }
  CHECK(f.endpoint.fetches == 2 + 9);  // the lapsed retry above took one of the 10
  CHECK(limited == 3000 - 9);
  CHECK(f.cache.tracked_credentials() == 0);
  f.now += 1s;  // 2 per second refill
  for (int i = 0; i < 5; ++i) f.get_many(1, {"mallory", "later-" + std::to_string(i)}, unproven);
  CHECK(f.endpoint.fetches == 2 + 9 + 2);
}

TEST_CASE("unproven credentials that work are cached like configured ones, without the bucket") {
  fixture f;
  const token_credentials real{"alice", "alice-pass"};
  CHECK(f.get_many(1, real, token_cache::trust::unproven)[0].access_token == "alice-token-1");
  CHECK(f.cache.tracked_credentials() == 1);
  for (int i = 0; i < 20; ++i) CHECK(f.get_many(1, real, token_cache::trust::unproven)[0].ok);
  CHECK(f.endpoint.fetches == 1);
  f.now += 3600s;  // expired: refetched even with the bucket empty, the pair is proven
  for (int i = 0; i < 20; ++i) f.get_many(1, {"x", "y" + std::to_string(i)}, token_cache::trust::unproven);
  CHECK(f.get_many(1, real, token_cache::trust::unproven)[0].access_token.starts_with("alice-token-"));
}

TEST_CASE("token_age: seconds since the held token was fetched; none before the first or once it expired") {
  fixture f;
  CHECK_FALSE(f.cache.token_age(f.creds));
  REQUIRE(f.get_one().ok);
  CHECK(f.cache.token_age(f.creds) == 0s);
  f.now += 1799s;
  CHECK(f.cache.token_age(f.creds) == 1799s);
  f.now += 3600s;  // past expiry
  CHECK_FALSE(f.cache.token_age(f.creds));
  CHECK_FALSE(f.cache.token_age({"other", "xyz"}));
}

TEST_CASE("on_failure: called with the client id and the scrubbed reason of each failed fetch") {
  fixture f;
  std::vector<std::pair<std::string, std::string>> failures;
  f.cache.on_failure([&](const std::string& id, const std::string& why) { failures.emplace_back(id, why); });
  f.endpoint.fail = true;
  CHECK_FALSE(f.get_one().ok);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].first == "abc");
  CHECK(failures[0].second == "token endpoint answered 400 (invalid_client)");
  CHECK(failures[0].second.find("xyz") == std::string::npos);  // never the secret
  f.endpoint.fail = false;
  f.now += 60s;  // past the backoff
  CHECK(f.get_one().ok);
  CHECK(failures.size() == 1);  // a success is not a failure
}
