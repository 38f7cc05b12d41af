// The Redis client and the Redis pacing backend against a real redis-server, started
// on a free local port for each test and killed at its end. redis-server must be
// installed (deploy/install-deps.sh does it): without it these tests fail, on purpose.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "proxy/redis_client.hpp"
#include "proxy/redis_pacing_backend.hpp"

extern char** environ;

using namespace pcbridge::proxy;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using kind = redis_value::kind;

namespace {

// $PCBRIDGE_REDIS_SERVER, else redis-server on PATH or in the usual directories.
std::string find_redis_server() {
  if (const char* env = std::getenv("PCBRIDGE_REDIS_SERVER"); env && *env) return access(env, X_OK) == 0 ? env : "";
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream in(path);
    for (std::string dir; std::getline(in, dir, ':');)
      if (!dir.empty()) dirs.push_back(dir);
  }
  for (const char* dir : {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) dirs.push_back(dir);
  for (const auto& dir : dirs) {
    const std::string candidate = dir + "/redis-server";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// A port nobody listens on right now: bind port 0, read what the kernel chose, close.
unsigned short free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  close(fd);
  return ntohs(addr.sin_port);
}

// True once something on `port` answers PING like Redis (PONG, or NOAUTH when a
// password is required). Blocking sockets: this runs outside any io_context.
bool answers_ping(unsigned short port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  timeval tv{0, 300000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char ping[] = "*1\r\n$4\r\nPING\r\n";
    char buf[64] = {};
    if (send(fd, ping, sizeof ping - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof ping - 1) &&
        recv(fd, buf, sizeof buf - 1, 0) > 0) {
      const std::string reply(buf);
      ok = reply.starts_with("+PONG") || reply.starts_with("-NOAUTH");
    }
  }
  close(fd);
  return ok;
}

// One redis-server process on 127.0.0.1:<free port>, no persistence; stop() kills it
// (SIGKILL: what a crash looks like to clients), start() brings it back on the same port.
class redis_server {
 public:
  explicit redis_server(std::string password = {}) : password_(std::move(password)) {
    binary_ = find_redis_server();
    if (binary_.empty()) {
      FAIL("redis-server not found (looked at $PCBRIDGE_REDIS_SERVER when set, else in $PATH, /usr/bin, /usr/sbin, "
           "/usr/local/bin). These tests need a real Redis: run deploy/install-deps.sh or "
           "apt-get install redis-server.");
    }
    port_ = free_port();
    start();
  }
  ~redis_server() {
    stop();
    if (!log_.empty()) std::remove(log_.c_str());
  }
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  void start() {
    REQUIRE(pid_ < 0);
    const std::string port = std::to_string(port_);
    log_ = "/tmp/pcbridge-test-redis-" + port + ".log";
    std::vector<std::string> args{binary_,      "--port", port,     "--bind",     "127.0.0.1", "--save",
                                  "",           "--appendonly",     "no",         "--dir",     "/tmp",
                                  "--loglevel", "warning"};
    if (!password_.empty()) {
      args.push_back("--requirepass");
      args.push_back(password_);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      FAIL("cannot start " << binary_ << ": " << std::strerror(rc));
    }
    const auto give_up = steady::now() + 10s;
    while (!answers_ping(port_)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("redis-server exited at start; its output:\n" << read_log());
      }
      if (steady::now() > give_up) {
        stop();
        FAIL("redis-server did not answer PING on port " << port_ << " within 10 s; its output:\n" << read_log());
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  void stop() {
    if (pid_ < 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  unsigned short port() const { return port_; }
  std::string url(int db = 0) const {
    return "redis://" + (password_.empty() ? std::string() : ":" + password_ + "@") + "127.0.0.1:" +
           std::to_string(port_) + "/" + std::to_string(db);
  }

 private:
  std::string read_log() const {
    std::ifstream in(log_);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::string binary_;
  std::string password_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
  std::string log_;
};

// A command's arguments. (GCC 12 rejects a braced list inside a co_await expression.)
template <class... Args>
std::vector<std::string> cmd(const Args&... args) {
  return {std::string(args)...};
}

redis_url url_of(const std::string& text) {
  std::string error;
  auto url = redis_url::parse(text, error);
  REQUIRE_MESSAGE(url, error);
  return *url;
}

// Runs `body` (a coroutine lambda) on `io` to completion; failures inside it surface here.
template <class F>
void run(boost::asio::io_context& io, F&& body) {
  bool finished = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::forward<F>(body), [&](std::exception_ptr e) {
    finished = true;
    failure = e;
  });
  io.restart();
  io.run();
  if (failure) std::rethrow_exception(failure);
  REQUIRE(finished);
}

awaitable<void> sleep_for(steady::duration d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(use_tuple);
}

int max_in_any_window(std::vector<steady::time_point> starts, steady::duration window) {
  std::sort(starts.begin(), starts.end());
  int best = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    int n = 0;
    for (std::size_t j = i; j < starts.size() && starts[j] < starts[i] + window; ++j) ++n;
    best = std::max(best, n);
  }
  return best;
}

// API keys, named: a key outlives every co_await that uses it.
const std::string key_k = "k";
const std::string key_shared_api_key = "shared-api-key";
const std::string key_another_api_key = "another-api-key";
const std::string key_fresh_key = "fresh-key";

long long ms_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

}  // namespace

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
