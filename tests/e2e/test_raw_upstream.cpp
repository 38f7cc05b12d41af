// End-to-end against a misbehaving upstream (raw_upstream.hpp): interim 1xx answers,
// surplus bytes, short bodies, drips, resets, odd statuses, HEAD. Two clients with their
// own credentials and API keys share pcbridge's upstream connection pool; each must get
// only its own answer, and a connection whose exchange was not clean must not carry
// another request (counted on the raw upstream's side).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <set>
#include <thread>

#include "e2e/assertions.hpp"
#include "e2e/raw_upstream.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using std::chrono::milliseconds;

namespace {

const std::string user_a = "client-a", pass_a = "pass-a-1", key_a = sim_api_key;
const std::string user_b = "client-b", pass_b = "pass-b-2", key_b = "other-key";

struct raw_stack {
  raw_upstream up;
  stack s;
  explicit raw_stack(raw_script script, int timeout_ms = 2000)
      : up(std::move(script)), s(options(up.base_url(), timeout_ms)) {}

  static stack_options options(const std::string& base_url, int timeout_ms) {
    stack_options o;
    o.base_url_override = base_url;  // tokens still come from the simulator
    o.timeout_ms = timeout_ms;
    o.extra_upstream_config = "  operations_per_minute: 6000\n  burst: 100\n";
    o.extra_config = "native_v2: { enabled: true }\n";
    o.sim_clients = {"other-client:other-secret:" + key_b};
    o.clients_override = "clients:\n"
                         "  - user: " + user_a + "\n    password: " + pass_a + "\n    client_id: " + sim_client_id +
                         "\n    client_secret: " + sim_client_secret + "\n    api_key: " + key_a + "\n"
                         "  - user: " + user_b + "\n    password: " + pass_b +
                         "\n    client_id: other-client\n    client_secret: other-secret\n    api_key: " + key_b + "\n";
    return o;
  }

  reply a(const std::string& target = v1 + "/Projects") const { return s.v1_as(user_a, pass_a, "GET", target); }
  reply b(const std::string& target = v1 + "/Projects") const { return s.v1_as(user_b, pass_b, "GET", target); }
};

// The project each API key owns in the raw upstream's answers.
std::string project_of(const std::string& api_key) {
  if (api_key == key_a) return "PRJCLIENTA01";
  if (api_key == key_b) return "PRJCLIENTB02";
  return "PRJUNKNOWN00";
}

// A GetProjects answer for whoever sent `r`.
std::string own_json(const raw_request& r) {
  return R"({"Projects":[{"ProjectId":")" + project_of(r.header("X-ApiKey")) +
         R"(","ProgramId":"G1","CurrentStatus":{"StatusId":"S1","Name":"Unsubmitted"}}]})";
}

std::string v1_project(const std::string& project) {
  return "<Project ProjectId=\"" + project + "\" ProgramId=\"G1\" Status=\"Unsubmitted\" StatusPublicId=\"S1\"/>";
}

// Exactly the caller's own GetProjects answer, nobody else's.
void check_own(const reply& r, const std::string& api_key) {
  CHECK(r.status == 200);
  CHECK(contains(r.body, v1_project(project_of(api_key))));
  for (const std::string& other : {key_a, key_b})
    if (other != api_key) CHECK_FALSE(contains(r.body, project_of(other)));
}

// First request: `bad(r)`; every later one: a clean answer of its own.
raw_script first_then_clean(std::function<raw_answer(const raw_request&)> bad) {
  return [bad = std::move(bad), seen = std::make_shared<int>(0)](const raw_request& r) {
    if ((*seen)++ == 0) return bad(r);
    return raw_answer{json_answer(own_json(r))};
  };
}

// A: the bad exchange; B: its own answer on a connection of its own (the bad one closed).
void check_not_reused(const raw_stack& t, const reply& b) {
  check_own(b, key_b);
  auto seen = t.up.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].header("X-ApiKey") == key_a);
  CHECK(seen[1].header("X-ApiKey") == key_b);
  CHECK(seen[1].connection == 2);
  CHECK(seen[1].on_connection == 1);
  CHECK(t.up.accepted() == 2);
}

}  // namespace

TEST_CASE("raw upstream: 103 Early Hints or 100 Continue before the 200 is skipped, never forwarded; the clean connection is reused") {
  for (const std::string interim : {"HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n",
                                    "HTTP/1.1 100 Continue\r\n\r\n",
                                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"}) {
    CAPTURE(interim);
    raw_stack t([interim](const raw_request& r) { return raw_answer{interim + json_answer(own_json(r))}; });
    const reply a = t.a();
    check_own(a, key_a);
    CHECK(a.header("link").empty());
    const reply b = t.b();
    check_own(b, key_b);
    auto seen = t.up.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].connection == 1);  // a clean exchange: the connection went back to the pool
    CHECK(seen[1].on_connection == 2);
    CHECK(t.up.accepted() == 1);
  }
}

TEST_CASE("raw upstream: interim answer and 200 dripped one byte at a time: the caller's own answer, then reuse") {
  raw_stack t([](const raw_request& r) {
    raw_answer a{"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + json_answer(own_json(r))};
    a.drip = true;
    a.drip_gap = milliseconds(1);
    return a;
  });
  check_own(t.a(), key_a);
  check_own(t.b(), key_b);
  CHECK(t.up.accepted() == 1);
}

TEST_CASE("raw upstream: bytes after a complete answer: the next client gets its own answer on a new connection") {
  raw_stack t(first_then_clean([](const raw_request& r) {
    // The surplus: an answer the next caller would read as its own if the connection were reused.
    return raw_answer{json_answer(own_json(r)) + json_answer(R"({"Projects":[{"ProjectId":"PRJFORGED999","ProgramId":"G1"}]})")};
  }));
  check_own(t.a(), key_a);
  const reply b = t.b();
  CHECK_FALSE(contains(b.body, "PRJFORGED999"));
  check_not_reused(t, b);
}

TEST_CASE("raw upstream: a body shorter than its Content-Length followed by more bytes: the connection is not reused") {
  raw_stack t(first_then_clean([](const raw_request& r) {
    const std::string body = own_json(r);
    return raw_answer{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size() + 5) + "\r\n\r\n" + body + json_answer(R"({"Projects":[]})")};
  }));
  const reply a = t.a();
  CHECK(a.status == 502);  // its own connection's bytes, mangled: untranslatable, nobody else's
  check_not_reused(t, t.b());
}

TEST_CASE("raw upstream: bytes arriving while the connection idles in the pool: it is dropped, not used") {
  raw_stack t(first_then_clean([](const raw_request& r) {
    raw_answer a{json_answer(own_json(r))};
    a.later = json_answer(R"({"Projects":[{"ProjectId":"PRJFORGED999","ProgramId":"G1"}]})");
    a.later_after = milliseconds(100);
    return a;
  }));
  check_own(t.a(), key_a);
  for (int i = 0; i < 200 && t.up.answered() < 1; ++i) std::this_thread::sleep_for(milliseconds(10));
  REQUIRE(t.up.answered() == 1);
  std::this_thread::sleep_for(milliseconds(50));  // the unsolicited bytes reach pcbridge's socket
  const reply b = t.b();
  CHECK_FALSE(contains(b.body, "PRJFORGED999"));
  check_not_reused(t, b);
}

TEST_CASE("raw upstream: answers that end the connection are not pooled (close, HTTP/1.0, close-delimited, reset, server close)") {
  struct bad_case {
    std::string name;
    std::function<raw_answer(const raw_request&)> answer;
  };
  const std::vector<bad_case> cases = {
      {"Connection: close", [](const raw_request& r) { return raw_answer{json_answer(own_json(r), "Connection: close\r\n")}; }},
      {"HTTP/1.0 without keep-alive",
       [](const raw_request& r) {
         std::string bytes = json_answer(own_json(r));
         return raw_answer{bytes.replace(0, 8, "HTTP/1.0")};
       }},
      {"close-delimited body",
       [](const raw_request& r) {
         return raw_answer{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + own_json(r), false, {}, {}, {},
                           raw_answer::then::close};
       }},
      // A read whose answer broke off: retried (idempotent) on a fresh connection.
      {"reset mid-answer",
       [](const raw_request&) {
         return raw_answer{"HTTP/1.1 200 OK\r\nContent-Length: 90\r\n\r\n{\"Proj", false, {}, {}, {}, raw_answer::then::reset};
       }},
      {"server closes after a clean answer",
       [](const raw_request& r) { return raw_answer{json_answer(own_json(r)), false, {}, {}, {}, raw_answer::then::close}; }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    raw_stack t(first_then_clean(c.answer));
    const reply a = t.a();
    check_own(a, key_a);
    auto before = t.up.requests().size();
    const reply b = t.b();
    check_own(b, key_b);
    auto seen = t.up.requests();
    REQUIRE(seen.size() == before + 1);
    CHECK(seen.back().header("X-ApiKey") == key_b);
    CHECK(seen.back().connection != seen.front().connection);  // not the connection of the bad exchange
  }
}

TEST_CASE("raw upstream: 101, another 1xx, 3xx and out-of-range statuses are a 502 naming the status, never passed on") {
  struct status_case {
    std::string head;
    std::string message;
    bool connection_reusable;
  };
  const std::string tail = ", which pcbridge does not pass on.";
  const std::vector<status_case> cases = {
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
       "upstream answered with HTTP status 101 (a protocol switch)" + tail, false},
      {"HTTP/1.1 150 Odd\r\n\r\n", "upstream answered with HTTP status 150 (an interim answer pcbridge does not expect)" + tail,
       false},
      {"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n",
       "upstream answered with HTTP status 302 (pcbridge does not follow redirects)" + tail, true},
      {"HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\n{}",
       "upstream answered with HTTP status 999 (not an HTTP status pcbridge knows)" + tail, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.head);
    raw_stack t(first_then_clean([&c](const raw_request&) { return raw_answer{c.head}; }));
    const reply a = t.a();
    check_v1_error(a, 502, c.message);
    CHECK(a.header("location").empty());
    const reply b = t.b();
    check_own(b, key_b);
    auto seen = t.up.requests();
    REQUIRE(seen.size() == 2);  // not retried
    CHECK(seen[1].connection == (c.connection_reusable ? 1 : 2));
  }
  // Native V2 callers get the same 502, in their error shape.
  raw_stack t(first_then_clean([](const raw_request&) {
    return raw_answer{"HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"};
  }));
  const reply n = t.s.v1_as(user_a, pass_a, "GET", v2 + "/Projects");
  CHECK(n.status == 502);
  CHECK(n.header("content-type") == "application/problem+json");
  CHECK(nlohmann::json::parse(n.body)["title"] ==
        "upstream answered with HTTP status 301 (pcbridge does not follow redirects)" + tail);
}

namespace {

// HEAD through pcbridge, read as HEAD (no body awaited): the status, 0 on failure.
int head_status(const raw_stack& t, const std::string& target) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(20));
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(t.s.proxy_port())}, ec);
  if (ec) return 0;
  http::request<http::empty_body> req{http::verb::head, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, basic(user_a, pass_a));
  http::write(stream, req, ec);
  if (ec) return 0;
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  http::read(stream, buffer, parser, ec);
  return ec ? 0 : parser.get().result_int();
}

}  // namespace

TEST_CASE("raw upstream: a HEAD answer with Content-Length and no body is complete (no 504), and the connection is reused") {
  raw_stack t(
      [](const raw_request& r) {
        if (r.method == "HEAD")
          return raw_answer{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"};
        return raw_answer{json_answer(own_json(r))};
      },
      1500);
  CHECK(head_status(t, v2 + "/Projects") == 200);
  check_own(t.b(), key_b);
  auto seen = t.up.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].method == "HEAD");
  CHECK(seen[0].target == v2 + "/Projects");
  CHECK(seen[1].connection == 1);
  CHECK(seen[1].on_connection == 2);
}

TEST_CASE("raw upstream: a HEAD is a read: an answer that breaks off is retried on a fresh connection") {
  raw_stack t([seen = std::make_shared<int>(0)](const raw_request&) {
    if ((*seen)++ == 0) return raw_answer{"HTTP/1.1 200 OK\r\nContent-Le", false, {}, {}, {}, raw_answer::then::reset};
    return raw_answer{"HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"};
  });
  CHECK(head_status(t, v2 + "/Projects") == 204);
  auto seen = t.up.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].method == "HEAD");
  CHECK(seen[1].connection == 2);
}

TEST_CASE("raw upstream: two clients interleaved over clean, interim-first and surplus answers: each gets its own; a surplus connection carries nothing more") {
  auto bad = std::make_shared<std::set<std::pair<int, int>>>();  // (connection, on_connection) of surplus answers
  raw_stack t([bad, n = std::make_shared<int>(0)](const raw_request& r) {
    const int kind = (*n)++ % 3;
    raw_answer a{json_answer(own_json(r))};
    if (kind == 0) {
      a.bytes = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + a.bytes;
      a.drip = true;
      a.drip_gap = milliseconds(1);
    } else if (kind == 1) {
      a.bytes += json_answer(R"({"Projects":[{"ProjectId":"PRJFORGED999","ProgramId":"G1"}]})");
      bad->insert({r.connection, r.on_connection});
    }
    return a;
  });
  for (int round = 0; round < 3; ++round) {
    auto replies = run_concurrently(
        8,
        [&](int i) {
          // Distinct targets: identical GETs in flight together would be coalesced into one call.
          const std::string target = v1 + "/Projects?limit=" + std::to_string(i + 1);
          return i % 2 == 0 ? t.a(target) : t.b(target);
        },
        milliseconds(15));
    for (int i = 0; i < 8; ++i) {
      CAPTURE(round);
      CAPTURE(i);
      check_own(replies[static_cast<std::size_t>(i)].r, i % 2 == 0 ? key_a : key_b);
    }
  }
  auto seen = t.up.requests();
  CHECK(seen.size() == 24);
  CHECK_FALSE(bad->empty());
  for (const auto& r : seen)
    for (const auto& [connection, on_connection] : *bad)
      CHECK_FALSE((r.connection == connection && r.on_connection > on_connection));
  CHECK(t.up.accepted() < 24);  // clean exchanges were reused
}

TEST_CASE("raw upstream: an attachment download (streamed) skips interim answers and refuses a redirect with a 502") {
  raw_stack t([n = std::make_shared<int>(0)](const raw_request&) {
    if ((*n)++ == 0)
      return raw_answer{"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
                        http_answer(200, "OK", "%PDF-1.7 bytes", "Content-Type: application/pdf\r\n")};
    return raw_answer{"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/file\r\nContent-Length: 0\r\n\r\n"};
  });
  const std::string download = v1 + "/Projects/" + draft_project + "/Attachments/AT2SITEPLAN2";
  const reply file = t.a(download);
  CHECK(file.status == 200);
  CHECK(file.body == "%PDF-1.7 bytes");
  CHECK(file.header("content-type") == "application/pdf");
  CHECK(file.header("link").empty());
  const reply redirected = t.a(download);
  check_v1_error(redirected, 502,
                 "upstream answered with HTTP status 302 (pcbridge does not follow redirects), which pcbridge does not pass on.");
  CHECK(redirected.header("location").empty());
}
