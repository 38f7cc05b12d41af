#pragma once
// Helpers of the tests against a real redis-server (test_redis_client.cpp, test_redis_pacing.cpp):
// finding and running redis-server on a free local port, running a coroutine to completion,
// counting starts in a window.
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

namespace redis_test {

using namespace pcbridge::proxy;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// $PCBRIDGE_REDIS_SERVER, else redis-server on PATH or in the usual directories.
inline std::string find_redis_server() {
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
inline unsigned short free_port() {
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
inline bool answers_ping(unsigned short port) {
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

inline redis_url url_of(const std::string& text) {
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

inline awaitable<void> sleep_for(steady::duration d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(use_tuple);
}

inline int max_in_any_window(std::vector<steady::time_point> starts, steady::duration window) {
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
inline const std::string key_k = "k";
inline const std::string key_shared_api_key = "shared-api-key";
inline const std::string key_another_api_key = "another-api-key";
inline const std::string key_fresh_key = "fresh-key";

inline long long ms_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

}  // namespace redis_test
