#pragma once
// A small HTTP/1.1 server: plain or TLS, keep-alive, body and header limits, header and
// idle deadlines, a cap on connections, graceful drain; one coroutine per connection,
// requests of one connection answered in order. Used by the V2 simulator and the admin
// listener (synchronous handlers) and by the proxy (coroutine handler, plus streamed
// bodies for attachments).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace pcbridge::proxy {

namespace http = boost::beast::http;
using string_request = http::request<http::string_body>;
using string_response = http::response<http::string_body>;
using request_head = http::request_header<>;
using response_head = http::response_header<>;

// Builds the answer for a request the server refuses before any handler runs (400
// malformed, 413 body too large, 431 header too large, 503 no room to buffer the body);
// the proxy answers these in V1 error shape.
// `client` is the peer address ("127.0.0.1:50312", "-" when unknown), for the access log.
using refusal_builder =
    std::function<string_response(http::status, const std::string& message, const std::string& client)>;

// Looks at a request head before its body is read (route, credentials): an answer refuses
// the request there, so the body of a client that may not send one is never buffered and
// 100 Continue is sent only to a request that passed.
using head_checker = std::function<std::optional<string_response>(const request_head&)>;

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;                 // 0: any free port; see bound_port()
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  std::size_t max_connections = 1024;     // further clients wait in the listen backlog
  // Request-body bytes buffered across all connections at once (streamed bodies are not
  // buffered); a request whose body would pass it is answered 503. 0: no cap.
  std::size_t max_buffered_body_bytes = 0;
  refusal_builder refusal;                // empty: plain-text answers
  head_checker check_head;                // called for heads with a body to come; empty: every head passes
};

// What a handler answers. `delay` postpones the answer (asynchronously; other
// connections keep being served). `drop_connection` closes the socket without answering
// (to simulate a reset after the request was received).
struct handler_result {
  string_response response;
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;
};

// Signals from the connection to the handler of one request.
struct connection_events {
  // Set by the handler; called when the client is gone (its connection reset, or closed
  // whole; not a half-close) while the handler runs and does not use the connection, e.g.
  // to give up a place in a queue. See client_watch.hpp.
  std::function<void()> on_disconnect;
  // Set by the server: the client's address ("127.0.0.1:50312"), for the access log.
  std::string remote_address;
};

using request_handler = std::function<handler_result(string_request&)>;
using async_request_handler =
    std::function<boost::asio::awaitable<handler_result>(string_request&, connection_events&)>;

// A request whose body is streamed instead of buffered (attachments). The handler reads
// the body piece by piece and writes the answer itself.
class stream_exchange {
 public:
  virtual ~stream_exchange() = default;
  // The next piece of the request body, at most into.size() bytes; 0 = the body is done.
  // nullopt: the client connection failed.
  virtual boost::asio::awaitable<std::optional<std::size_t>> read_body(std::span<char> into) = 0;
  // The answer's head; with `content_length` the body is sent as is, without it chunked.
  virtual boost::asio::awaitable<bool> write_head(response_head head, std::optional<std::uint64_t> content_length) = 0;
  virtual boost::asio::awaitable<bool> write_body(std::span<const char> data) = 0;
  // Ends the answer (the last chunk of a chunked body). After a failure, the connection closes.
  virtual boost::asio::awaitable<bool> finish() = 0;

  // Body bytes read from the client and written to it so far (the access log's bytes_in/out).
  std::uint64_t body_bytes_read() const { return bytes_read_; }
  std::uint64_t body_bytes_written() const { return bytes_written_; }

 protected:
  std::uint64_t bytes_read_ = 0;
  std::uint64_t bytes_written_ = 0;
};

struct streaming_hooks {
  std::function<bool(const request_head&)> wants;  // stream this request's body?
  std::function<boost::asio::awaitable<void>(const request_head&, stream_exchange&, connection_events&)> handle;
};

class http_server {
 public:
  http_server(boost::asio::io_context& io, server_options opts, request_handler handler);
  http_server(boost::asio::io_context& io, server_options opts, async_request_handler handler,
              streaming_hooks streaming = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Serve HTTPS with this context from the next connection on (and on SIGHUP reload).
  void use_tls(std::shared_ptr<boost::asio::ssl::context> context);

  // Binds and starts accepting; throws std::system_error when the address cannot be bound.
  void start();
  // Stops accepting; open connections finish their current request and close.
  void drain();
  void stop();
  std::uint16_t bound_port() const;
  // Requests read and not yet answered in full (a drain waits for zero).
  std::size_t active_requests() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace pcbridge::proxy
