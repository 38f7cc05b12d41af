#pragma once
// A small HTTP/1.1 server: keep-alive, body limit, header and idle deadlines, one
// coroutine per connection; requests of one connection are answered in order.
// Used by the V2 simulator (synchronous handler) and the proxy (coroutine handler).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace pcbridge::proxy {

namespace http = boost::beast::http;
using string_request = http::request<http::string_body>;
using string_response = http::response<http::string_body>;

// Builds the answer for a request the server refuses before any handler runs (413 body
// too large, 431 header too large); the proxy answers these in V1 error shape.
using refusal_builder = std::function<http::response<http::string_body>(http::status, const std::string& message)>;

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;                 // 0: any free port; see bound_port()
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  refusal_builder refusal;  // empty: plain-text answers
};

// What a handler answers. `delay` postpones the answer (asynchronously; other
// connections keep being served). `drop_connection` closes the socket without answering
// (to simulate a reset after the request was received).
struct handler_result {
  string_response response;
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;
};

using request_handler = std::function<handler_result(string_request&)>;
using async_request_handler = std::function<boost::asio::awaitable<handler_result>(string_request&)>;

class http_server {
 public:
  http_server(boost::asio::io_context& io, server_options opts, request_handler handler);
  http_server(boost::asio::io_context& io, server_options opts, async_request_handler handler);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and starts accepting; throws std::system_error when the address cannot be bound.
  void start();
  void stop();
  std::uint16_t bound_port() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace pcbridge::proxy
