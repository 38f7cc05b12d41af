// The upstream answer reader (proxy/upstream_framing.hpp) on an in-memory stream: what it
// returns, and when it lets the connection go back to the pool.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <limits>

#include "proxy/upstream_framing.hpp"

using namespace pcbridge::proxy;
namespace beast = boost::beast;

namespace {

struct read_outcome {
  bool finished = false;     // the reader returned (did not wait for more bytes)
  framed_answer answer;
  std::size_t left_in_buffer = 0;
  std::size_t left_on_stream = 0;  // bytes the reader never took off the stream
};

struct feed {
  std::string bytes;
  bool close_after = true;                                    // EOF once the bytes are read
  std::size_t read_size = std::numeric_limits<std::size_t>::max();  // 1 = drip
};

read_outcome read(const feed& in, answer_options options = {}) {
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc);
  stream.append(in.bytes);
  stream.read_size(in.read_size);
  if (in.close_after) stream.close_remote();
  beast::flat_buffer buffer;
  read_outcome out;
  boost::asio::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        out.answer = co_await read_answer(stream, buffer, options);
        out.finished = true;
      },
      boost::asio::detached);
  ioc.run_for(std::chrono::seconds(5));  // a bound, not a speed check: a reader waiting for bytes never finishes
  out.left_in_buffer = buffer.size();
  out.left_on_stream = stream.buffer().size();
  return out;
}

answer_options head_request() {
  answer_options o;
  o.head_request = true;
  return o;
}

const std::string ok_200 = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"client\":\"A\"}";

}  // namespace

TEST_CASE("framing: 103 Early Hints then 200 -> the 200, reusable") {
  auto r = read({"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + ok_200});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.result_int() == 200);
  CHECK(r.answer.response.body() == "{\"client\":\"A\"}");
  CHECK(r.answer.response[boost::beast::http::field::link].empty());
  CHECK(r.answer.framing.interim_skipped == 1);
  CHECK(r.answer.framing.reusable);
}

TEST_CASE("framing: 100 Continue and 102 then 200, dripped one byte per read -> the 200, reusable") {
  auto r = read({"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" + ok_200, true, 1});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.result_int() == 200);
  CHECK(r.answer.response.body() == "{\"client\":\"A\"}");
  CHECK(r.answer.framing.interim_skipped == 2);
  CHECK(r.answer.framing.reusable);
  CHECK(r.left_on_stream == 0);
}

TEST_CASE("framing: more interim answers than max_interim -> failure") {
  std::string many;
  for (int i = 0; i < 9; ++i) many += "HTTP/1.1 100 Continue\r\n\r\n";
  auto r = read({many + ok_200});
  REQUIRE(r.finished);
  CHECK(r.answer.framing.failure == upstream_failure::broken);
  CHECK(r.answer.framing.detail == "more than 8 interim (1xx) answers");
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: 200 followed by surplus bytes -> the 200, not reusable") {
  auto r = read({ok_200 + "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"client\":\"B\"}"});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.body() == "{\"client\":\"A\"}");
  CHECK(r.left_in_buffer > 0);
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: body shorter than Content-Length, then the connection ends -> failure") {
  auto r = read({"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"client\":\"A\"}"});
  REQUIRE(r.finished);
  CHECK(r.answer.framing.failure == upstream_failure::broken);
  CHECK(r.answer.framing.detail.rfind("reading answer body: ", 0) == 0);
  CHECK(r.answer.framing.received_any);
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: short body followed by more bytes -> those bytes end the body, the rest is surplus: not reusable") {
  auto r = read({"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{\"client\":\"A\"}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.body() == "{\"client\":\"A\"}HT");
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: HEAD answer with Content-Length -> no body awaited, reusable") {
  // The stream stays open: a reader waiting for the 1234 bytes would never finish.
  auto r = read({"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1234\r\n\r\n", false},
                head_request());
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.result_int() == 200);
  CHECK(r.answer.response.body().empty());
  CHECK(r.answer.response[boost::beast::http::field::content_length] == "1234");
  CHECK(r.answer.framing.reusable);
}

TEST_CASE("framing: HEAD answer followed by body bytes anyway -> not reusable") {
  auto r = read({"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false}, head_request());
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.body().empty());
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: 204 and 304 carry no body whatever their Content-Length") {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    CAPTURE(status);
    auto r = read({std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 20\r\n\r\n", false});
    REQUIRE(r.finished);
    REQUIRE(r.answer.framing.failure == upstream_failure::none);
    CHECK(r.answer.response.body().empty());
    CHECK(r.answer.framing.reusable);
  }
}

TEST_CASE("framing: chunked body -> assembled, reusable; bytes after the last chunk -> not reusable") {
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n\"b\"\r\n1\r\n}\r\n0\r\n\r\n";
  auto r = read({chunked, false});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.body() == "{\"a\":\"b\"}");
  CHECK(r.answer.framing.reusable);

  auto extra = read({chunked + "junk", false});
  REQUIRE(extra.finished);
  CHECK(extra.answer.response.body() == "{\"a\":\"b\"}");
  CHECK_FALSE(extra.answer.framing.reusable);
}

TEST_CASE("framing: body delimited by the close -> read whole, not reusable") {
  auto r = read({"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"client\":\"A\"}"});
  REQUIRE(r.finished);
  REQUIRE(r.answer.framing.failure == upstream_failure::none);
  CHECK(r.answer.response.body() == "{\"client\":\"A\"}");
  CHECK_FALSE(r.answer.framing.reusable);
}

TEST_CASE("framing: Connection: close and HTTP/1.0 without keep-alive -> not reusable; HTTP/1.0 keep-alive -> reusable") {
  auto closing = read({"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", false});
  REQUIRE(closing.finished);
  CHECK(closing.answer.response.body() == "{}");
  CHECK_FALSE(closing.answer.framing.reusable);

  auto old = read({"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", false});
  REQUIRE(old.finished);
  CHECK_FALSE(old.answer.framing.reusable);

  auto old_kept = read({"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}", false});
  REQUIRE(old_kept.finished);
  CHECK(old_kept.answer.framing.reusable);
}

TEST_CASE("framing: 101, an unregistered 1xx and 999 are final answers, never reusable; 302 is framed normally") {
  for (const char* head : {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                           "HTTP/1.1 150 Odd\r\n\r\n", "HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n"}) {
    CAPTURE(head);
    auto r = read({std::string(head) + ok_200, false});
    REQUIRE(r.finished);
    REQUIRE(r.answer.framing.failure == upstream_failure::none);
    CHECK_FALSE(passable_status(r.answer.response.result_int()));
    CHECK(r.answer.framing.interim_skipped == 0);
    CHECK_FALSE(r.answer.framing.reusable);
  }
  auto redirect = read({"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n", false});
  REQUIRE(redirect.finished);
  CHECK(redirect.answer.response.result_int() == 302);
  CHECK_FALSE(passable_status(302));
  CHECK(redirect.answer.framing.reusable);
}

TEST_CASE("framing: statuses passed on and interim answers skipped") {
  for (int s : {200, 201, 204, 299, 400, 404, 429, 500, 503, 599}) CHECK(passable_status(s));
  for (int s : {0, 99, 100, 101, 103, 199, 300, 301, 302, 304, 307, 399, 600, 999}) CHECK_FALSE(passable_status(s));
  for (int s : {100, 102, 103}) CHECK(skipped_interim(s));
  for (int s : {101, 104, 150, 199, 200}) CHECK_FALSE(skipped_interim(s));
}

TEST_CASE("framing: garbage, nothing at all, and an answer above the body limit") {
  auto garbage = read({"SSH-2.0-OpenSSH_9.2\r\n\r\n"});
  REQUIRE(garbage.finished);
  CHECK(garbage.answer.framing.failure == upstream_failure::broken);
  CHECK(garbage.answer.framing.received_any);
  CHECK_FALSE(garbage.answer.framing.reusable);

  auto nothing = read({""});
  REQUIRE(nothing.finished);
  CHECK(nothing.answer.framing.failure == upstream_failure::broken);
  CHECK_FALSE(nothing.answer.framing.received_any);  // a stale pooled connection: safe to retry

  answer_options small;
  small.body_limit = 4;
  auto big = read({ok_200}, small);
  REQUIRE(big.finished);
  CHECK(big.answer.framing.failure == upstream_failure::too_large);
  CHECK_FALSE(big.answer.framing.reusable);
}
