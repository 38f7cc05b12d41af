#pragma once
// Writes a whole HTTP message with a string body in one gather write: its head formatted
// into one string, then the body as it is. Beast's serializer produces the same bytes but
// walks head and body as a chain of buffer views, piece by piece: for the few-kilobyte
// answers of the request path that walk cost more than the formatting (callgrind, issue 11).
// The message must be prepared (prepare_payload): its framing headers are written as set.
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <string>
#include <tuple>

#include "proxy/coro.hpp"

namespace pcbridge::proxy::wire {

namespace http = boost::beast::http;

namespace detail {

inline void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

template <class Fields>
void append_fields(std::string& out, const Fields& fields) {
  for (const auto& field : fields) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace detail

// "GET /path HTTP/1.1\r\n", the fields, the empty line: Beast's serializer's bytes.
template <class Fields>
void append_head(std::string& out, const http::header<true, Fields>& h) {
  out += h.method_string();
  out += ' ';
  out += h.target();
  out += ' ';
  detail::append_version(out, h.version());
  out += "\r\n";
  detail::append_fields(out, h);
}

// "HTTP/1.1 200 OK\r\n" (the reason set, else the status's usual one), the fields, the empty line.
template <class Fields>
void append_head(std::string& out, const http::header<false, Fields>& h) {
  detail::append_version(out, h.version());
  const unsigned code = h.result_int();
  out += ' ';
  out += static_cast<char>('0' + code / 100 % 10);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  out += h.reason();
  out += "\r\n";
  detail::append_fields(out, h);
}

template <bool isRequest, class Fields>
std::string head_text(const http::header<isRequest, Fields>& h) {
  std::string out;
  out.reserve(256);
  append_head(out, h);
  return out;
}

// Head and body in one write; the error and the bytes written, as async_write gives them.
template <class Stream, bool isRequest, class Fields>
awaitable<std::tuple<boost::system::error_code, std::size_t>> async_write_whole(
    Stream& stream, const http::message<isRequest, http::string_body, Fields>& message) {
  const std::string head = head_text(message.base());
  const std::array<boost::asio::const_buffer, 2> pieces{boost::asio::buffer(head), boost::asio::buffer(message.body())};
  co_return co_await boost::asio::async_write(stream, pieces, use_tuple);
}

}  // namespace pcbridge::proxy::wire
