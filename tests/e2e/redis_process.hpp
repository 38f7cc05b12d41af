#pragma once
// A private redis-server on a free loopback port for the tests that share state through Redis
// (the shared quota, the shared usage counts). Started in the constructor, stopped with it.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "e2e/process.hpp"

namespace e2e {

namespace redis_detail {

inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace redis_detail

// True when a redis-server on 127.0.0.1:port answers PING with +PONG.
inline bool redis_answers(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::write(fd, "PING\r\n", 6) == 6;
  char reply[8] = {};
  ok = ok && ::read(fd, reply, 5) == 5 && std::string(reply, 5) == "+PONG";
  ::close(fd);
  return ok;
}

struct redis_process {
  int port = redis_detail::free_port();
  std::string dir = make_temp_dir();
  child_process process{{"/usr/bin/redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "no"},
                        dir + "/redis.log"};
  redis_process() {
    for (int i = 0; i < 300 && !redis_answers(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE_MESSAGE(redis_answers(port), "redis-server did not start (deploy/install-deps.sh installs it)");
  }
};

}  // namespace e2e
