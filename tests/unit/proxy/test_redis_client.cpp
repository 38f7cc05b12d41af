// The Redis client against a real redis-server, started on a free local port for each test
// and killed at its end. redis-server must be installed (deploy/install-deps.sh does it):
// without it these tests fail, on purpose.
#include "redis_test_support.hpp"

using namespace redis_test;  // and pcbridge::proxy, std::chrono_literals, steady
using kind = redis_value::kind;

// ---- The client ----

TEST_CASE("redis client: every reply type from a real redis-server") {
  redis_server server;
  boost::asio::io_context io;
  redis_client client(io.get_executor(), url_of(server.url()), 2000ms);
  run(io, [&]() -> awaitable<void> {
    auto pong = co_await client.command(cmd("PING"));
    REQUIRE_MESSAGE(pong.failure == redis_failure::none, pong.detail);
    CHECK(pong.value.type == kind::simple_string);
    CHECK(pong.value.text == "PONG");

    const std::string binary("line1\r\nline2\0end", 16);
    auto set = co_await client.command(cmd("SET", "pcbridge:test:k", binary));
    CHECK(set.value.text == "OK");
    auto get = co_await client.command(cmd("GET", "pcbridge:test:k"));
    CHECK(get.value.type == kind::bulk_string);
    CHECK(get.value.text == binary);

    auto missing = co_await client.command(cmd("GET", "pcbridge:test:nothing"));
    CHECK(missing.failure == redis_failure::none);
    CHECK(missing.value.is_null());

    auto incr = co_await client.command(cmd("INCR", "pcbridge:test:n"));
    CHECK(incr.value.type == kind::integer);
    CHECK(incr.value.integer == 1);

    auto unknown = co_await client.command(cmd("NOSUCHCOMMAND", "x"));
    CHECK(unknown.failure == redis_failure::none);  // an error reply is an answer, not a failure
    CHECK(unknown.value.is_error());
    CHECK(unknown.value.text.starts_with("ERR"));

    co_await client.command(cmd("RPUSH", "pcbridge:test:l", "a", "b"));
    auto range = co_await client.command(cmd("LRANGE", "pcbridge:test:l", "0", "-1"));
    REQUIRE(range.value.type == kind::array);
    REQUIRE(range.value.elements.size() == 2);
    CHECK(range.value.elements[1].text == "b");

    auto nested = co_await client.command(cmd("EVAL", "return {1, {2, 'x'}, redis.status_reply('fine')}", "0"));
    REQUIRE(nested.value.type == kind::array);
    REQUIRE(nested.value.elements.size() == 3);
    CHECK(nested.value.elements[0].integer == 1);
    REQUIRE(nested.value.elements[1].elements.size() == 2);
    CHECK(nested.value.elements[1].elements[1].text == "x");
    CHECK(nested.value.elements[2].text == "fine");

    // Large enough to arrive in several reads.
    const std::string big(300 * 1024, 'z');
    co_await client.command(cmd("SET", "pcbridge:test:big", big));
    auto got_big = co_await client.command(cmd("GET", "pcbridge:test:big"));
    CHECK(got_big.value.text == big);
  });
  CHECK(client.connects() == 1);
}

TEST_CASE("redis client: concurrent commands share one connection and get their own answers") {
  redis_server server;
  boost::asio::io_context io;
  redis_client client(io.get_executor(), url_of(server.url()), 5000ms);
  std::vector<long long> answers;
  for (int i = 0; i < 50; ++i) {
    boost::asio::co_spawn(io, [&]() -> awaitable<void> {
      auto r = co_await client.command(cmd("INCR", "pcbridge:test:counter"));
      answers.push_back(r.failure == redis_failure::none ? r.value.integer : -1);
    }, boost::asio::detached);
  }
  io.run();
  REQUIRE(answers.size() == 50);
  std::sort(answers.begin(), answers.end());
  for (int i = 0; i < 50; ++i) CHECK(answers[i] == i + 1);
  CHECK(client.connects() == 1);
}

TEST_CASE("redis client: AUTH and SELECT on connect, the password never in a message") {
  redis_server server("pw-Sekr1t");
  boost::asio::io_context io;
  const std::string base = "127.0.0.1:" + std::to_string(server.port());
  redis_client db3(io.get_executor(), url_of("redis://:pw-Sekr1t@" + base + "/3"), 2000ms);
  redis_client db0(io.get_executor(), url_of("redis://:pw-Sekr1t@" + base + "/0"), 2000ms);
  redis_client wrong(io.get_executor(), url_of("redis://:not-the-pw@" + base + "/0"), 2000ms);
  redis_client anonymous(io.get_executor(), url_of("redis://" + base), 2000ms);
  run(io, [&]() -> awaitable<void> {
    auto set = co_await db3.command(cmd("SET", "pcbridge:test:where", "three"));
    REQUIRE_MESSAGE(set.failure == redis_failure::none, set.detail);
    CHECK(set.value.text == "OK");
    auto here = co_await db3.command(cmd("GET", "pcbridge:test:where"));
    CHECK(here.value.text == "three");
    auto elsewhere = co_await db0.command(cmd("GET", "pcbridge:test:where"));
    CHECK(elsewhere.failure == redis_failure::none);
    CHECK(elsewhere.value.is_null());

    auto refused = co_await wrong.command(cmd("PING"));
    CHECK(refused.failure == redis_failure::auth);
    CHECK(refused.detail.find("AUTH refused") != std::string::npos);
    CHECK(refused.detail.find("not-the-pw") == std::string::npos);
    CHECK(refused.detail.find("***") != std::string::npos);

    auto noauth = co_await anonymous.command(cmd("GET", "pcbridge:test:where"));
    CHECK(noauth.failure == redis_failure::none);
    CHECK(noauth.value.is_error());
    CHECK(noauth.value.text.starts_with("NOAUTH"));
  });
}

TEST_CASE("redis client: a server that accepts but never answers times out") {
  boost::asio::io_context io;
  // Listening, never accepting: the kernel completes the handshake, nobody reads.
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = silent.local_endpoint().port();
  redis_client client(io.get_executor(), url_of("redis://127.0.0.1:" + std::to_string(port)), 200ms);
  std::vector<redis_reply> replies;
  std::vector<long long> took;
  const auto t0 = steady::now();
  for (int i = 0; i < 2; ++i) {  // the second waits behind the first, within its own deadline
    boost::asio::co_spawn(io, [&]() -> awaitable<void> {
      auto r = co_await client.command(cmd("PING"));
      took.push_back(ms_between(t0, steady::now()));
      replies.push_back(std::move(r));
    }, boost::asio::detached);
  }
  io.run();
  REQUIRE(replies.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK(replies[i].failure == redis_failure::timeout);
    CHECK(took[i] >= 190);
    CHECK(took[i] < 1000);
  }
}

TEST_CASE("redis client: connection refused, then the server comes back") {
  redis_server server;
  boost::asio::io_context io;
  redis_client client(io.get_executor(), url_of(server.url()), 1000ms);
  run(io, [&]() -> awaitable<void> {
    auto first = co_await client.command(cmd("SET", "pcbridge:test:a", "1"));
    REQUIRE_MESSAGE(first.failure == redis_failure::none, first.detail);

    // Restarted between two commands: the idle connection is dead, the command goes
    // out again on a fresh one without the caller noticing.
    server.stop();
    server.start();
    auto after_restart = co_await client.command(cmd("PING"));
    CHECK_MESSAGE(after_restart.failure == redis_failure::none, after_restart.detail);
    CHECK(after_restart.value.text == "PONG");
    CHECK(client.connects() == 2);

    server.stop();
    auto down = co_await client.command(cmd("PING"));
    CHECK(down.failure == redis_failure::connect);
    CHECK(down.detail.find("connecting to redis://127.0.0.1:") != std::string::npos);

    server.start();
    auto up = co_await client.command(cmd("PING"));
    CHECK_MESSAGE(up.failure == redis_failure::none, up.detail);
    CHECK(client.connects() == 3);
  });
}
