// A client that is gone takes nothing from upstream: a reset (RST) or a full close while its
// request waits for the API key's quota cancels the call, for buffered requests and for
// streamed attachments alike; a client that only half-closed still gets its answer.
#include <doctest/doctest.h>

#include <unistd.h>

#include <thread>

#include "e2e/raw_client.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

using std::chrono::milliseconds;

// One operation per 3 s window: the second request waits in pcbridge's queue.
stack_options one_slot() {
  stack_options o;
  o.ops_per_minute = 1;
  one_operation_per_window(o, 3000);
  return o;
}

std::string request(const std::string& method, const std::string& target, const std::string& extra = {}) {
  return method + " " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(user, password) + "\r\n" + extra +
         "\r\n";
}

int queued(const stack& s, const std::string& bytes) {
  REQUIRE(s.v1("GET", v1 + "/Projects?limit=1").status == 200);  // takes the window's only slot
  const int fd = raw::connect_to(s.proxy_port());
  REQUIRE(fd >= 0);
  REQUIRE(raw::write_all(fd, bytes));
  std::this_thread::sleep_for(milliseconds(300));  // it is queued now
  return fd;
}

std::size_t count(const nlohmann::json& requests, const std::string& method, const std::string& target) {
  std::size_t n = 0;
  for (const auto& r : requests)
    if (r["method"] == method && r["target"] == target) ++n;
  return n;
}

}  // namespace

TEST_CASE("client gone: a queued CreateNewProject whose client resets is never sent, and its retry makes one project") {
  stack s(one_slot());
  const int fd = queued(s, request("POST", v1 + "/NewProject", "Content-Length: 0\r\n"));
  raw::reset(fd);
  // Past the next slot: had it stayed queued, it would have been sent by now.
  std::this_thread::sleep_for(milliseconds(3500));
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["method"] == "GET");

  auto retry = s.v1("POST", v1 + "/NewProject");
  CHECK(retry.status == 200);
  CHECK(count(s.sim_api_requests(), "POST", v2 + "/NewProject") == 1);
}

TEST_CASE("client gone: a half-closed client still gets the answer to its queued request") {
  stack s(one_slot());
  const int fd = queued(s, request("GET", v1 + "/Projects?limit=2"));
  raw::half_close(fd);  // the request is complete; the client only stops sending
  const std::string bytes = raw::read_until_close(fd, milliseconds(8000));
  ::close(fd);
  // One interim 100 Continue (the watch's probe for a closed socket), then the answer.
  const std::string probe = "HTTP/1.1 100 Continue\r\n\r\n";
  REQUIRE(bytes.rfind(probe, 0) == 0);
  const raw::answer a = raw::parse_answer(bytes.substr(probe.size()));
  CHECK(a.status == 200);
  CHECK(a.rest.find("<Project ") != std::string::npos);
  CHECK(a.rest.size() == std::stoul(a.header("content-length")));
  CHECK(count(s.sim_api_requests(), "GET", v2 + "/Projects?limit=2") == 1);
}

TEST_CASE("client gone: a reset while a streamed attachment download is queued cancels it") {
  stack s(one_slot());
  const std::string download = v1 + "/Projects/" + draft_project + "/Attachments/AT2SITEPLAN2";
  const int fd = queued(s, request("GET", download));
  raw::reset(fd);
  std::this_thread::sleep_for(milliseconds(3500));
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["target"] == v2 + "/Projects?limit=1");
  CHECK(s.proxy_output().find("v1_method=GetActiveAttachment user=" + user + " status=429") != std::string::npos);
  CHECK(s.v1("GET", v1 + "/Projects?limit=3").status == 200);  // the slot was not lost
}

TEST_CASE("client gone: a reset while a streamed attachment upload is queued cancels it before anything goes upstream") {
  stack s(one_slot());
  const std::string upload = v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Attachments/AT2SITEPLAN2";
  const std::string body(4096, 'x');
  const int fd = queued(s, request("POST", upload,
                                   "Content-Type: application/pdf\r\nContent-Length: " + std::to_string(body.size()) +
                                       "\r\n") +
                               body);
  raw::reset(fd);
  std::this_thread::sleep_for(milliseconds(3500));
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["method"] == "GET");
  // Refused in the queue (429 in the log), not cut off mid-upload.
  const std::string log = s.proxy_output();
  CHECK(log.find("v1_method=SetProjectAttachment user=" + user + " status=429") != std::string::npos);
  CHECK(log.find("client_aborted_upload") == std::string::npos);
}
