// A client that gives up while its request waits for the API key's quota takes nothing
// from upstream: its place in the queue is released and the call never goes out.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "e2e/stack.hpp"

using namespace e2e;

namespace {

// Sends one request on a raw socket and returns the socket without reading the answer.
int send_and_keep_open(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  return fd;
}

}  // namespace

TEST_CASE("disconnect: a queued request whose client leaves is never sent upstream") {
  stack_options o;
  o.ops_per_minute = 1;
  one_operation_per_window(o, 3000);
  stack s(o);
  const std::string path = "/Services.svc/v1/Programs/PRG0M4A7B2CD/Projects";

  REQUIRE(s.v1("GET", path + "?limit=1").status == 200);  // takes the window's only slot
  const int fd = send_and_keep_open(
      s.proxy_port(), "GET " + path + "?limit=2 HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(user, password) +
                          "\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // it is queued now
  ::close(fd);                                                   // and its client goes away

  // Past the next slot: had it stayed queued, it would have been sent by now.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["target"] == "/services/v2/Programs/PRG0M4A7B2CD/Projects?limit=1");
  CHECK(s.proxy_output().find("status=429") != std::string::npos);  // logged as a refused turn
  CHECK(s.v1("GET", path + "?limit=3").status == 200);              // the slot was not lost
}
