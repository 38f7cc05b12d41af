// Explicit limits: header size, XML depth, connection count. Each is answered in V1 shape
// (or by waiting in the backlog) and pcbridge keeps serving.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "e2e/raw_client.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string v1 = "/Services.svc/v1/Programs/PRG0M4A7B2CD";

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

// Whether an answer arrives on `fd` within `ms`.
bool answered_within(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) == 1;
}

}  // namespace

TEST_CASE("limits: a request head above max_header_bytes is answered 431 in V1 shape") {
  stack s;
  auto r = s.v1("GET", v1 + "/Projects", {}, {{"X-Padding", std::string(20000, 'a')}});
  CHECK(r.status == 431);
  CHECK(r.body.find("<Error xmlns=\"http://service.powerclerk.com/api/v1/\" Status=\"431\"") != std::string::npos);
  CHECK(s.v1("GET", v1 + "/Projects").status == 200);  // and it keeps serving
  CHECK(s.sim_api_requests().size() == 1);
}

TEST_CASE("limits: XML nested deeper than the translators allow is a 400 and reaches nobody") {
  stack s;
  std::string deep = "<ProjectDataRequest xmlns=\"http://service.powerclerk.com/api/v1/\">";
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  deep += "</ProjectDataRequest>";
  auto r = s.v1("POST", v1 + "/Projects/PRJ3D4R5F6T7/Forms/F0RM1A2B3C4D/Data", deep);
  CHECK(r.status == 400);
  CHECK(r.body.find("Status=\"400\"") != std::string::npos);
  CHECK(s.sim_requests().empty());
}

TEST_CASE("limits: beyond listen.max_connections new clients wait until a connection closes") {
  stack_options o;
  o.listen_override = "listen: { address: 127.0.0.1, port: 0, max_connections: 2 }\n";
  stack s(o);
  const int a = connect_to(s.proxy_port());
  const int b = connect_to(s.proxy_port());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both accepted and idle
  const int c = connect_to(s.proxy_port());                     // sits in the backlog
  const std::string request = "GET " + v1 + "/Projects HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                              basic(user, password) + "\r\nConnection: close\r\n\r\n";
  REQUIRE(::write(c, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  CHECK_FALSE(answered_within(c, 400));  // not served while two connections are open
  ::close(a);
  CHECK(answered_within(c, 3000));       // served once one closes
  char buf[16] = {};
  CHECK(::read(c, buf, 12) == 12);
  CHECK(std::string(buf, 12) == "HTTP/1.1 200");
  ::close(b);
  ::close(c);
}

TEST_CASE("limits: on a kept-alive connection the idle timeout lasts until the next head starts, then header_timeout_ms") {
  stack_options o;
  o.listen_override = "listen: { address: 127.0.0.1, port: 0, header_timeout_ms: 500, idle_timeout_ms: 5000 }\n";
  stack s(o);
  const std::string request = "GET " + v1 + "/Projects HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(user, password) +
                              "\r\n\r\n";
  // Idle past header_timeout_ms between two requests: still served.
  const int idle = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(idle, request));
  REQUIRE(raw::read_one_answer(idle, std::chrono::milliseconds(5000)).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  REQUIRE(raw::write_all(idle, request));
  CHECK(raw::read_one_answer(idle, std::chrono::milliseconds(5000)).status == 200);
  ::close(idle);

  // A second head dripped a byte every 200 ms: cut off once header_timeout_ms has passed
  // since its first byte, long before the idle timeout.
  const int drip = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(drip, request));
  REQUIRE(raw::read_one_answer(drip, std::chrono::milliseconds(5000)).status == 200);
  const auto started = std::chrono::steady_clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < 20 && !closed; ++i) {
    if (!raw::write_all(drip, request.substr(i, 1))) {
      closed = true;
      break;
    }
    closed = raw::closed_within(drip, std::chrono::milliseconds(200));
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  CAPTURE(took.count());
  CHECK(closed);
  CHECK(took < std::chrono::milliseconds(2500));  // 20 drips (4 s) would fit within the idle timeout
  ::close(drip);
}
