#pragma once
// Connection-level steps of http_server.cpp, for plain and TLS streams alike: reading a
// request head under its deadlines, checking it, answering before the body, closing.
// Internal to the server (templates over the stream type).
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <type_traits>

#include "proxy/coro.hpp"
#include "proxy/http_server.hpp"
#include "proxy/message_write.hpp"

namespace pcbridge::proxy::wire {

namespace beast = boost::beast;

template <class Stream>
beast::tcp_stream& lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

enum class head_outcome { ok, gone, too_large, malformed };

// Reads the next request head. On a kept-alive connection the idle timeout runs only until
// the first byte of the next request; from then on (and on a new connection from the
// start) the whole head must arrive within header_timeout, so a client dripping a head
// holds its connection no longer than that.
template <class Stream>
awaitable<head_outcome> read_head(Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::empty_body>& head,
                                  bool first, std::chrono::milliseconds header_timeout,
                                  std::chrono::milliseconds idle_timeout) {
  if (!first && buffer.size() == 0) {
    lowest(stream).expires_after(idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
    if (ec) co_return head_outcome::gone;
    buffer.commit(n);
  }
  lowest(stream).expires_after(header_timeout);
  auto [ec, n] = co_await http::async_read_header(stream, buffer, head, use_tuple);
  if (!ec) co_return head_outcome::ok;
  if (ec == http::error::header_limit) co_return head_outcome::too_large;
  // The parser's own errors (bad method, target, version, field, value, framing headers) are
  // a malformed request; a closed, reset or timed-out connection is not answered.
  if (ec.category() == beast::error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
      ec != http::error::partial_message)
    co_return head_outcome::malformed;
  co_return head_outcome::gone;
}

// A head the server refuses before any handler sees it: an HTTP/1.1 request must carry
// exactly one Host header (RFC 9112 §3.2); HTTP/1.0 at most one.
inline std::optional<std::string> head_problem(const request_head& head) {
  const auto hosts = head.count(http::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && head.version() >= 11) return "an HTTP/1.1 request needs a Host header";
  return std::nullopt;
}

// Reads and drops what the client still sends after an answer given before its body (for up
// to a second, at most 64 MiB), so a client that writes its whole body before reading sees
// the answer instead of a reset. Memory: one 16 KiB piece, whatever the body's size.
template <class Stream>
awaitable<void> discard_input(Stream& stream) {
  lowest(stream).expires_after(std::chrono::seconds(1));
  std::array<char, 16 * 1024> sink;
  std::size_t total = 0;
  while (total < 64 * 1024 * 1024) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
    total += n;
  }
}

// The end of a connection whose request body was not read (as nginx's lingering close):
// on plain TCP the write side is shut first so the client sees the whole answer and its
// end, then what it still sends is drained. TLS is shut down by the caller afterwards.
template <class Stream>
awaitable<void> linger_and_close(Stream& stream) {
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  }
  co_await discard_input(stream);
}

// Writes an answer. To a HEAD request only the head goes out, with the Content-Length
// the body would have had (RFC 9110 §9.3.2), so a kept-alive connection stays in step.
template <class Stream>
awaitable<bool> write_answer(Stream& stream, string_response& res, bool head_request,
                             std::chrono::milliseconds timeout) {
  lowest(stream).expires_after(timeout);
  if (!head_request) {
    res.prepare_payload();
    auto [ec, n] = co_await async_write_whole(stream, res);
    co_return !ec;
  }
  if (!res.body().empty()) res.content_length(res.body().size());
  http::response_serializer<http::string_body> serializer(res);
  auto [ec, n] = co_await http::async_write_header(stream, serializer, use_tuple);
  co_return !ec;
}

// What the answer to a request depends on, taken from its head.
struct request_facts {
  unsigned version = 11;
  bool head_method = false;  // HEAD: the answer has no body
  bool keep_alive = true;    // the client's Connection header and version allow another request
};

template <class Body>
request_facts facts_of(const http::request<Body>& req) {
  return {req.version(), req.method() == http::verb::head, req.keep_alive()};
}

// An answer given before the request's body was read (refused from its head, body too
// large, no room to buffer it). With a body on its way the connection cannot be reused
// (the client may or may not send it, e.g. after Expect: 100-continue): the answer says
// Connection: close and the connection is closed after it, lingering. Without a body the
// connection stays open. Returns whether the connection can serve another request.
template <class Stream>
awaitable<bool> answer_before_body(Stream& stream, string_response res, request_facts request, bool body_pending,
                                   std::chrono::milliseconds timeout) {
  res.version(request.version >= 11 ? 11 : 10);
  res.keep_alive(request.keep_alive && !body_pending && res.keep_alive());
  const bool ok = co_await write_answer(stream, res, request.head_method, timeout);
  if (!ok) co_return false;
  if (body_pending) {
    co_await linger_and_close(stream);
    co_return false;
  }
  co_return res.keep_alive();
}

// "HTTP/1.1 100 Continue": the client that asked may send its body now.
template <class Stream>
awaitable<bool> send_continue(Stream& stream, std::chrono::milliseconds timeout) {
  static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
  lowest(stream).expires_after(timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(go_on.data(), go_on.size()), use_tuple);
  co_return !ec;
}

}  // namespace pcbridge::proxy::wire
