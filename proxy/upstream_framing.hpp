#pragma once
// Reading one upstream answer off a stream, and deciding whether the connection may carry
// another exchange. Templated on the stream (any Beast AsyncReadStream: tcp_stream,
// ssl_stream, beast::test::stream), so tests and fuzz targets run it in memory; no sockets
// or TLS here. The connection pool trusts `reusable` and nothing else: a pooled connection
// whose previous answer was not read exactly to its end would hand the rest of that answer
// (another client's data) to the next request.
//
// What read_answer / read_answer_head promise:
//  - interim answers (100, 102, 103) are read and dropped: never returned, never the end
//    of the exchange; more than max_interim of them is a failure;
//  - the answer to a HEAD request (options.head_request), a 204 and a 304 have no body,
//    whatever Content-Length they carry: nothing more is awaited;
//  - `reusable` is true only when the final answer was read completely, is well framed
//    (Content-Length or chunked, or no body by rule), has a status 200..599, allows the
//    connection to stay open (HTTP/1.1 without `Connection: close`, HTTP/1.0 only with
//    keep-alive) and left nothing behind in `buffer`. Everything else (read error,
//    timeout, short body, parse error, surplus bytes, body delimited by close, 101 or
//    another 1xx, an out-of-range status) leaves it false: the caller closes it;
//  - errors are values (`failure`, `detail`), never exceptions; `detail` names what failed
//    and never carries header values or body bytes.
// Whether a status may be passed on (passable_status) is the caller's decision; this
// reader only frames.
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "proxy/coro.hpp"

namespace pcbridge::proxy {

namespace http = boost::beast::http;

enum class upstream_failure {
  none,
  connect,     // resolve/connect/TLS handshake failed: the request was not sent
  timeout,     // the deadline passed
  broken,      // connection failed or the answer was not well-framed HTTP
  too_large,   // answer above the response size limit
  bad_status,  // a status pcbridge does not pass on (101, other 1xx, 3xx, outside 100..599)
};

struct answer_options {
  bool head_request = false;                       // the request was HEAD: no body follows
  std::uint64_t body_limit = 8 * 1024 * 1024;
  std::uint32_t header_limit = 64 * 1024;          // per answer head, interim ones included
  int max_interim = 8;
};

struct answer_framing {
  upstream_failure failure = upstream_failure::none;  // never connect or bad_status here
  std::string detail;                                 // set when failure != none
  bool received_any = false;  // a byte of an answer arrived: a stale pooled connection sends none
  int interim_skipped = 0;
  bool reusable = false;
};

struct framed_answer {
  answer_framing framing;
  http::response<http::string_body> response;  // the final answer when framing.failure == none
};

// Interim answers skipped before the final one. 101 is not among them (after it the
// connection speaks another protocol), nor are unregistered 1xx codes: inferred (I),
// treated as a broken upstream rather than ignored.
constexpr bool skipped_interim(int status) { return status == 100 || status == 102 || status == 103; }

// Final statuses a V1 client may see: 2xx, 4xx, 5xx. 1xx, 3xx (pcbridge does not follow
// or pass on redirects) and anything outside 100..599 become a 502.
constexpr bool passable_status(int status) { return (status >= 200 && status < 300) || (status >= 400 && status < 600); }

// Classifies a read error (timeout, size limit, anything else broken) with what was read.
answer_framing framing_failure(const boost::beast::error_code& ec, const char* reading);

// Whether the connection may go back to the pool after a final answer read to its end.
bool reusable_after(int status, bool parser_keep_alive, bool parser_need_eof, std::size_t left_in_buffer);

// Reads answer heads until a non-interim one, into `parser` (emplaced anew per answer). On
// success the parser holds the final head; its body, if any, is still to be read.
template <class Body, class AsyncReadStream>
awaitable<answer_framing> read_answer_head(AsyncReadStream& stream, boost::beast::flat_buffer& buffer,
                                           std::optional<http::response_parser<Body>>& parser,
                                           const answer_options& options) {
  answer_framing out;
  for (;;) {
    parser.emplace();
    parser->body_limit(options.body_limit);
    parser->header_limit(options.header_limit);
    if (options.head_request) parser->skip(true);
    const bool had_bytes = buffer.size() > 0;
    auto [ec, n] = co_await http::async_read_header(stream, buffer, *parser, use_tuple);
    if (n > 0 || had_bytes || buffer.size() > 0) out.received_any = true;
    if (ec) {
      answer_framing failed = framing_failure(ec, "reading answer head");
      failed.received_any = out.received_any;
      failed.interim_skipped = out.interim_skipped;
      co_return failed;
    }
    if (!skipped_interim(parser->get().result_int())) co_return out;
    if (++out.interim_skipped > options.max_interim) {
      out.failure = upstream_failure::broken;
      out.detail = "more than " + std::to_string(options.max_interim) + " interim (1xx) answers";
      co_return out;
    }
  }
}

// One whole answer (head and body) of an exchange whose request has been written.
template <class AsyncReadStream>
awaitable<framed_answer> read_answer(AsyncReadStream& stream, boost::beast::flat_buffer& buffer,
                                     const answer_options& options) {
  framed_answer out;
  std::optional<http::response_parser<http::string_body>> parser;
  out.framing = co_await read_answer_head(stream, buffer, parser, options);
  if (out.framing.failure != upstream_failure::none) co_return out;
  if (!parser->is_done()) {
    // Beast reads at most the buffer's free capacity: room for the declared body (up to the
    // 64 KiB Beast reads at once) takes it in one or a few reads instead of 512-byte pieces.
    if (const auto length = parser->content_length())
      buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size() + *length, 64 * 1024)));
    auto [ec, n] = co_await http::async_read(stream, buffer, *parser, use_tuple);
    if (ec) {
      answer_framing failed = framing_failure(ec, "reading answer body");
      failed.received_any = true;
      failed.interim_skipped = out.framing.interim_skipped;
      out.framing = std::move(failed);
      co_return out;
    }
  }
  out.framing.reusable =
      reusable_after(parser->get().result_int(), parser->keep_alive(), parser->need_eof(), buffer.size());
  out.response = parser->release();
  co_return out;
}

}  // namespace pcbridge::proxy
