// Answers pcbridge gives from a request's head, before its body: credentials are checked
// first, so the body of a client that may not send one is never buffered; such an answer
// closes the connection when a body is on its way (Connection: close), and 100 Continue
// goes only to a request that passed. Bodies buffered across connections have one cap.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "e2e/raw_client.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

using std::chrono::milliseconds;

const std::string data_path = v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data";
const std::string upload_path = v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Attachments/AT2SITEPLAN2";
const std::string v1_error_start = "<Error xmlns=\"http://service.powerclerk.com/api/v1/\" Status=\"";

std::string head(const std::string& method, const std::string& target, const std::string& extra,
                 bool with_credentials) {
  return method + " " + target + " HTTP/1.1\r\nHost: x\r\n" +
         (with_credentials ? "Authorization: " + basic(user, password) + "\r\n" : std::string()) + extra + "\r\n";
}

std::string length(std::size_t n) { return "Content-Length: " + std::to_string(n) + "\r\n"; }

void check_closing_401(const raw::answer& a) {
  CHECK(a.status == 401);
  CHECK(a.header("connection") == "close");
  CHECK(a.header("www-authenticate").rfind("Basic ", 0) == 0);
  CHECK(a.rest.find(v1_error_start + "401\"") != std::string::npos);
}

}  // namespace

TEST_CASE("early answers: 40 unauthenticated 10 MiB uploads get 401 with Connection: close and are never buffered") {
  stack s;
  const long before = raw::rss_kib(s.proxy_pid());
  const std::size_t size = 10 * 1024 * 1024;
  const std::string piece(256 * 1024, 'x');
  constexpr int clients = 40;
  std::vector<int> fds;
  for (int i = 0; i < clients; ++i) {
    fds.push_back(raw::connect_to(s.proxy_port()));
    REQUIRE(fds.back() >= 0);
  }
  std::atomic<int> refused{0};
  std::atomic<long> peak{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&, fd = fds[static_cast<std::size_t>(i)]] {
      if (!raw::write_all(fd, head("POST", data_path, "Content-Type: application/xml\r\n" + length(size), false)))
        return;
      // The body goes on until pcbridge has answered and stops reading.
      for (std::size_t sent = 0; sent < size && !raw::readable_within(fd, milliseconds(0)); sent += piece.size())
        if (!raw::write_all(fd, piece)) break;
      const raw::answer a = raw::read_one_answer(fd, milliseconds(10000));
      check_closing_401(a);
      if (a.status == 401 && a.header("connection") == "close") ++refused;
      CHECK(raw::closed_within(fd, milliseconds(5000)));
    });
  // Sampled while the uploads are in flight.
  for (int i = 0; i < 20; ++i) {
    peak = std::max(peak.load(), raw::rss_kib(s.proxy_pid()));
    std::this_thread::sleep_for(milliseconds(25));
  }
  for (auto& t : threads) t.join();
  for (int fd : fds) ::close(fd);
  CHECK(refused == clients);
  CAPTURE(before);
  CAPTURE(peak.load());
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("AddressSanitizer build: its shadow memory makes pcbridge's RSS meaningless here");
#else
  CHECK(peak.load() < 64 * 1024);  // KiB; buffering the bodies would take 400 MiB
#endif
  CHECK(s.sim_requests().empty());
  CHECK(s.v1("GET", v1 + "/Projects").status == 200);
}

TEST_CASE("early answers: a body that would pass listen.max_buffered_body_bytes is refused 503 with Retry-After") {
  stack_options o;
  o.listen_override = "listen: { address: 127.0.0.1, port: 0, max_buffered_body_bytes: 10485760 }\n";
  stack s(o);
  const std::size_t six_mib = 6 * 1024 * 1024;
  // A holds 6 MiB of the 10 MiB: its body is on its way.
  const int a = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(a, head("POST", data_path, "Content-Type: application/xml\r\n" + length(six_mib), true) + "<"));
  std::this_thread::sleep_for(milliseconds(200));

  const int b = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(b, head("POST", data_path, "Content-Type: application/xml\r\n" + length(six_mib), true)));
  const raw::answer refused = raw::read_one_answer(b, milliseconds(5000));
  CHECK(refused.status == 503);
  CHECK(refused.header("retry-after") == "1");
  CHECK(refused.header("connection") == "close");
  CHECK(refused.rest.find(v1_error_start + "503\"") != std::string::npos);
  CHECK(raw::closed_within(b, milliseconds(3000)));
  ::close(b);

  raw::reset(a);  // its share is given back
  std::this_thread::sleep_for(milliseconds(200));
  auto c = s.v1("POST", data_path, std::string(six_mib, ' '));
  CHECK(c.status == 400);  // read whole and refused by the translator, not by the cap
  CHECK(s.sim_api_requests().empty());
}

TEST_CASE("early answers: Expect: 100-continue without credentials gets 401 and a close, never 100 Continue") {
  stack s;
  for (const std::string& path : {data_path, upload_path}) {
    CAPTURE(path);
    // .NET HttpWebRequest with NetworkCredential: no credentials first, waiting for 100 Continue.
    const int fd = raw::connect_to(s.proxy_port());
    REQUIRE(raw::write_all(fd, head("POST", path, "Expect: 100-continue\r\n" + length(16), false)));
    const raw::answer a = raw::read_one_answer(fd, milliseconds(5000));
    check_closing_401(a);
    CHECK(raw::closed_within(fd, milliseconds(3000)));
    ::close(fd);
  }
  // The retry with credentials is asked for its body, then answered.
  const std::string xml = "<ProjectDataRequest/>";
  const int fd = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(fd, head("POST", data_path,
                                  "Content-Type: application/xml\r\nExpect: 100-continue\r\n" + length(xml.size()), true)));
  const raw::answer go_on = raw::read_one_answer(fd, milliseconds(5000));
  CHECK(go_on.status == 100);
  CHECK(go_on.head == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(raw::write_all(fd, xml));
  const raw::answer answered = raw::read_one_answer(fd, milliseconds(5000));
  CHECK(answered.status == 400);  // bad XML for the translator: the body was read and judged
  CHECK(answered.rest.find(v1_error_start + "400\"") != std::string::npos);
  ::close(fd);
}

TEST_CASE("early answers: a refusal of a request without a body keeps the connection") {
  stack s;
  const int fd = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(fd, head("GET", v1 + "/Projects", "", false) + head("GET", v1 + "/Projects", "", true)));
  const raw::answer first = raw::read_one_answer(fd, milliseconds(5000));
  CHECK(first.status == 401);
  CHECK(first.header("connection").empty());
  CHECK(raw::read_one_answer(fd, milliseconds(5000)).status == 200);
  ::close(fd);
}

TEST_CASE("early answers: pcbridge's own answer to HEAD has a Content-Length and no body") {
  stack s;
  const int fd = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(fd, head("HEAD", v1 + "/Projects", "", false) + head("HEAD", v1 + "/Projects", "", false) +
                                 head("GET", v1 + "/Projects", "", false)));
  const raw::answer first = raw::read_one_answer(fd, milliseconds(5000), true);
  const raw::answer second = raw::read_one_answer(fd, milliseconds(5000), true);
  const raw::answer to_get = raw::read_one_answer(fd, milliseconds(5000));
  CHECK(first.status == 405);  // HEAD is no V1 route method
  CHECK(first.rest.empty());
  CHECK(std::stoul(first.header("content-length")) > 0);
  // Each answer starts right where the previous one ended: no body bytes in between.
  CHECK(second.status == 405);
  CHECK(second.header("content-length") == first.header("content-length"));
  CHECK(to_get.status == 401);
  CHECK(to_get.rest.find(v1_error_start + "401\"") != std::string::npos);
  ::close(fd);
}

TEST_CASE("early answers: an HTTP/1.1 request without Host, or with two, is a 400") {
  stack s;
  const std::string auth = "Authorization: " + basic(user, password) + "\r\n";
  for (const std::string& request : {"GET " + v1 + "/Projects HTTP/1.1\r\n" + auth + "\r\n",
                                     "GET " + v1 + "/Projects HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth + "\r\n"}) {
    const int fd = raw::connect_to(s.proxy_port());
    REQUIRE(raw::write_all(fd, request));
    const raw::answer a = raw::read_one_answer(fd, milliseconds(5000));
    CHECK(a.status == 400);
    CHECK(a.header("connection") == "close");
    CHECK(a.rest.find(v1_error_start + "400\"") != std::string::npos);
    CHECK(raw::closed_within(fd, milliseconds(3000)));
    ::close(fd);
  }
  CHECK(s.sim_api_requests().empty());
  // HTTP/1.0 needs no Host.
  const int fd = raw::connect_to(s.proxy_port());
  REQUIRE(raw::write_all(fd, "GET " + v1 + "/Projects HTTP/1.0\r\n" + auth + "\r\n"));
  CHECK(raw::read_one_answer(fd, milliseconds(5000)).status == 200);
  ::close(fd);
}

TEST_CASE("early answers: a malformed request is answered 400 before the close") {
  stack s;
  for (const std::string& request : {std::string("GET /x HTTP/1.1\r\nHost x\r\n\r\n"),
                                     std::string("G@T /x HTTP/1.1\r\nHost: x\r\n\r\n"),
                                     std::string("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n")}) {
    CAPTURE(request);
    const int fd = raw::connect_to(s.proxy_port());
    REQUIRE(raw::write_all(fd, request));
    const raw::answer a = raw::read_one_answer(fd, milliseconds(5000));
    CHECK(a.status == 400);
    CHECK(a.header("connection") == "close");
    CHECK(a.rest.find(v1_error_start + "400\"") != std::string::npos);
    ::close(fd);
  }
}
