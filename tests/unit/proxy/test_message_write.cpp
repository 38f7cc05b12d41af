// wire::head_text (message_write.hpp) against Beast's own serializer, which it replaces on the
// request path: the bytes must be the same for requests and answers alike.
#include <doctest/doctest.h>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <sstream>
#include <string>

#include "proxy/message_write.hpp"

namespace http = boost::beast::http;
using pcbridge::proxy::wire::head_text;

namespace {

template <bool isRequest>
std::string beast_bytes(http::message<isRequest, http::string_body> m) {
  std::ostringstream out;
  out << m;  // Beast's serializer
  return out.str();
}

template <bool isRequest>
std::string our_bytes(const http::message<isRequest, http::string_body>& m) {
  return head_text(m.base()) + m.body();
}

}  // namespace

TEST_CASE("message write: a prepared request is the bytes Beast's serializer writes") {
  http::request<http::string_body> req{http::verb::post, "/services/v2/Programs/P1/Projects?x=1", 11};
  req.set(http::field::host, "upstream.example:8443");
  req.set(http::field::authorization, "Bearer t");
  req.set("X-ApiKey", "k");
  req.set(http::field::content_type, "application/json");
  req.body() = R"({"a":1})";
  req.keep_alive(true);
  req.prepare_payload();
  CHECK(our_bytes(req) ==
        "POST /services/v2/Programs/P1/Projects?x=1 HTTP/1.1\r\nHost: upstream.example:8443\r\n"
        "Authorization: Bearer t\r\nX-ApiKey: k\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
        "{\"a\":1}");
  CHECK(our_bytes(req) == beast_bytes(req));

  http::request<http::string_body> get{http::verb::get, "/x", 10};
  get.set(http::field::host, "h");
  get.prepare_payload();
  CHECK(our_bytes(get) == "GET /x HTTP/1.0\r\nHost: h\r\n\r\n");
  CHECK(our_bytes(get) == beast_bytes(get));
}

TEST_CASE("message write: answers keep their status line, reason and fields as Beast writes them") {
  http::response<http::string_body> ok{http::status::ok, 11};
  ok.set(http::field::content_type, "application/xml; charset=utf-8");
  ok.set("X-Request-Id", "abc");
  ok.body() = "<r/>";
  ok.prepare_payload();
  CHECK(our_bytes(ok) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml; charset=utf-8\r\nX-Request-Id: abc\r\n"
        "Content-Length: 4\r\n\r\n<r/>");
  CHECK(our_bytes(ok) == beast_bytes(ok));

  http::response<http::string_body> custom{http::status::bad_gateway, 10};
  custom.reason("Upstream Gone");
  custom.keep_alive(false);
  custom.prepare_payload();
  CHECK(our_bytes(custom) == "HTTP/1.0 502 Upstream Gone\r\nContent-Length: 0\r\n\r\n");
  CHECK(our_bytes(custom) == beast_bytes(custom));

  http::response<http::string_body> unknown{static_cast<http::status>(299), 11};
  unknown.prepare_payload();
  CHECK(our_bytes(unknown) == beast_bytes(unknown));

  http::response<http::string_body> no_content{http::status::no_content, 11};
  no_content.prepare_payload();
  CHECK(our_bytes(no_content) == "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");  // as Beast prepares it
  CHECK(our_bytes(no_content) == beast_bytes(no_content));
}
