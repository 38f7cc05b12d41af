// The Redis pacing backend against a real redis-server, started on a free local port for each
// test and killed at its end. redis-server must be installed (deploy/install-deps.sh does it):
// without it these tests fail, on purpose.
#include "redis_test_support.hpp"

using namespace redis_test;  // and pcbridge::proxy, std::chrono_literals, steady
using kind = redis_value::kind;

// ---- The pacing backend ----

TEST_CASE("redis pacing: two instances sharing a key never start more than the limit in any window") {
  redis_server server;
  boost::asio::io_context io;
  // 5 per second, burst 5, 100 ms margin: cycles of 5 starts every 1.1 s.
  const pacing_settings settings{5, 1000ms, 5, 100ms};
  redis_pacing_backend a(io.get_executor(), server.url(), settings, 1000ms);
  redis_pacing_backend b(io.get_executor(), server.url(), settings, 1000ms);
  std::vector<steady::time_point> starts;
  int by_a = 0, by_b = 0;
  const auto end = steady::now() + 3s;
  // Each instance serves two callers that ask as soon as the backend allows.
  auto caller = [&](redis_pacing_backend& backend, int& count) -> awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    while (steady::now() < end) {
      const auto wait = co_await backend.try_start(key_shared_api_key);
      if (wait.count() == 0) {
        starts.push_back(steady::now());
        ++count;
        continue;
      }
      timer.expires_after(std::min<steady::duration>(wait, end - steady::now()));
      co_await timer.async_wait(use_tuple);
    }
  };
  for (int i = 0; i < 2; ++i) {
    boost::asio::co_spawn(io, caller(a, by_a), boost::asio::detached);
    boost::asio::co_spawn(io, caller(b, by_b), boost::asio::detached);
  }
  io.run();
  INFO("starts: " << starts.size() << " (a " << by_a << ", b " << by_b << ")");
  CHECK(max_in_any_window(starts, 1000ms) <= 5);
  CHECK(starts.size() >= 10);  // t = 0, 1.1 s, 2.2 s: 15 when nothing is late
  CHECK(starts.size() <= 15);
  CHECK(by_a > 0);
  CHECK(by_b > 0);
  CHECK(a.fallbacks() == 0);
  CHECK(b.fallbacks() == 0);
}

TEST_CASE("redis pacing: a pause set by one instance holds the other") {
  redis_server server;
  boost::asio::io_context io;
  const pacing_settings settings{60, 60000ms, 5, 0ms};
  redis_pacing_backend a(io.get_executor(), server.url(), settings, 1000ms);
  redis_pacing_backend b(io.get_executor(), server.url(), settings, 1000ms);
  run(io, [&]() -> awaitable<void> {
    co_await a.pause(key_shared_api_key, 500ms);
    const auto wait = co_await b.try_start(key_shared_api_key);
    CHECK(wait > 350ms);
    CHECK(wait <= 500ms);
    const auto other_key = co_await b.try_start(key_another_api_key);
    CHECK(other_key == 0ms);
    co_await sleep_for(wait);
    const auto later = co_await b.try_start(key_shared_api_key);
    CHECK(later == 0ms);
  });
  CHECK(a.fallbacks() == 0);
  CHECK(b.fallbacks() == 0);
}

TEST_CASE("redis pacing: steady spacing after the burst, as the in-memory rule") {
  redis_server server;
  boost::asio::io_context io;
  // interval 200 ms, burst 2.
  const pacing_settings settings{5, 1000ms, 2, 0ms};
  redis_pacing_backend shared(io.get_executor(), server.url(), settings, 1000ms);
  memory_pacing_backend local(settings);
  run(io, [&]() -> awaitable<void> {
    for (pacing_backend* backend : {static_cast<pacing_backend*>(&shared), static_cast<pacing_backend*>(&local)}) {
      {
        const auto wait = co_await backend->try_start(key_k);
        CHECK(wait == 0ms);
      }
      {
        const auto wait = co_await backend->try_start(key_k);
        CHECK(wait == 0ms);
      }
      const auto third = co_await backend->try_start(key_k);
      CHECK(third > 100ms);
      CHECK(third <= 200ms);
      co_await sleep_for(third);
      {
        const auto wait = co_await backend->try_start(key_k);
        CHECK(wait == 0ms);
      }
      const auto fourth = co_await backend->try_start(key_k);
      CHECK(fourth > 100ms);
      CHECK(fourth <= 200ms);
    }
  });
  CHECK(shared.fallbacks() == 0);
}

TEST_CASE("redis pacing: Redis keys hold a hash of the API key, never the key, and expire") {
  redis_server server;
  boost::asio::io_context io;
  const pacing_settings settings{5, 1000ms, 5, 100ms};
  const std::string api_key = "pcb-secret-api-key-123";
  redis_pacing_backend backend(io.get_executor(), server.url(), settings, 1000ms);
  redis_client inspect(io.get_executor(), url_of(server.url()), 1000ms);
  run(io, [&]() -> awaitable<void> {
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait == 0ms);
    }
    auto keys = co_await inspect.command(cmd("KEYS", "*"));
    REQUIRE(keys.value.type == kind::array);
    std::set<std::string> names;
    for (const auto& k : keys.value.elements) names.insert(k.text);
    const std::string base = redis_pacing_backend::redis_key_for(api_key);
    CHECK(names == std::set<std::string>{base, base + ":starts"});
    for (const auto& name : names) {
      CAPTURE(name);
      CHECK(name.starts_with("pcbridge:pace:"));
      CHECK(name.find(api_key) == std::string::npos);
      auto ttl = co_await inspect.command(cmd("PTTL", name));
      CHECK(ttl.value.integer > 0);
      CHECK(ttl.value.integer <= 2 * 1000 + 100);
    }
    // A pause longer than the windows keeps the state alive until it ends.
    co_await backend.pause(api_key, 10000ms);
    auto ttl = co_await inspect.command(cmd("PTTL", base));
    CHECK(ttl.value.integer > 10000);
    auto paused = co_await inspect.command(cmd("HGET", base, "pause"));
    CHECK(paused.value.type == kind::bulk_string);
    CHECK(paused.value.text.find('e') == std::string::npos);  // plain digits, full precision
  });
  CHECK(backend.fallbacks() == 0);
}

TEST_CASE("redis pacing: the script is sent again after Redis forgot it") {
  redis_server server;
  boost::asio::io_context io;
  redis_pacing_backend backend(io.get_executor(), server.url(), pacing_settings{}, 1000ms);
  redis_client admin(io.get_executor(), url_of(server.url()), 1000ms);
  run(io, [&]() -> awaitable<void> {
    {
      const auto wait = co_await backend.try_start(key_k);
      CHECK(wait == 0ms);
    }
    auto exists = co_await admin.command(cmd("SCRIPT", "EXISTS", redis_pacing_backend::script_sha1()));
    REQUIRE(exists.value.type == kind::array);
    CHECK(exists.value.elements.at(0).integer == 1);  // our SHA-1 is Redis' SHA-1
    co_await admin.command(cmd("SCRIPT", "FLUSH"));
    {
      const auto wait = co_await backend.try_start(key_k);
      CHECK(wait == 0ms);
    }
  });
  CHECK(backend.fallbacks() == 0);
  CHECK(backend.redis_healthy());
}

TEST_CASE("redis pacing: paces locally while Redis is down, then shares again") {
  redis_server server("pw-Sekr1t");
  boost::asio::io_context io;
  const pacing_settings settings{3, 1000ms, 3, 0ms};
  const std::string api_key = "pcb-secret-api-key-456";
  redis_pacing_backend backend(io.get_executor(), server.url(), settings, 300ms);
  std::vector<std::string> warnings;
  backend.set_warning_sink([&](std::string_view m) { warnings.emplace_back(m); });
  run(io, [&]() -> awaitable<void> {
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait == 0ms);
    }
    CHECK(backend.fallbacks() == 0);

    server.stop();
    const auto t0 = steady::now();
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait == 0ms);  // answered from memory
    }
    CHECK(backend.fallbacks() == 1);
    CHECK_FALSE(backend.redis_healthy());
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait == 0ms);
    }
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait == 0ms);
    }
    {
      const auto wait = co_await backend.try_start(api_key);
      CHECK(wait > 0ms);  // the local rule still holds: 3 per window
    }
    CHECK(backend.fallbacks() == 4);
    CHECK(ms_between(t0, steady::now()) < 300);  // in back-off: no Redis round trip per call

    server.start();
    co_await sleep_for(redis_pacing_backend::retry_backoff + 100ms);
    {
      const auto wait = co_await backend.try_start(key_fresh_key);
      CHECK(wait == 0ms);
    }
    CHECK(backend.fallbacks() == 4);  // served by Redis again
    CHECK(backend.redis_healthy());
  });
  REQUIRE(warnings.size() == 2);  // one when Redis failed, one when it came back
  CHECK(warnings[0].find("pacing this instance alone") != std::string::npos);
  CHECK(warnings[1].find("answers again") != std::string::npos);
  for (const auto& w : warnings) {
    CAPTURE(w);
    CHECK(w.find("pw-Sekr1t") == std::string::npos);
    CHECK(w.find(api_key) == std::string::npos);
    CHECK(w.find("redis://:***@127.0.0.1:") != std::string::npos);
  }
}

TEST_CASE("redis pacing: a Redis that never answers costs one timeout, then back-off") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = silent.local_endpoint().port();
  redis_pacing_backend backend(io.get_executor(), "redis://127.0.0.1:" + std::to_string(port), pacing_settings{},
                               150ms);
  run(io, [&]() -> awaitable<void> {
    const auto t0 = steady::now();
    {
      const auto wait = co_await backend.try_start(key_k);
      CHECK(wait == 0ms);
    }
    const auto first = ms_between(t0, steady::now());
    CHECK(first >= 140);
    CHECK(first < 1000);
    const auto t1 = steady::now();
    {
      const auto wait = co_await backend.try_start(key_k);
      CHECK(wait == 0ms);
    }
    co_await backend.pause(key_k, 1000ms);
    {
      const auto wait = co_await backend.try_start(key_k);
      CHECK(wait > 900ms);  // the local pause holds
    }
    CHECK(ms_between(t1, steady::now()) < 50);
  });
  CHECK(backend.fallbacks() == 4);
}
