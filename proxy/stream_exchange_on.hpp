#pragma once
// The stream_exchange of one request on a plain or TLS connection (http_server.hpp):
// the body is read piece by piece as the handler asks, the answer written as it comes.
// Internal to http_server.cpp.
#include <boost/beast/http/buffer_body.hpp>

#include "proxy/client_watch.hpp"
#include "proxy/http_wire.hpp"

namespace pcbridge::proxy::wire {

// Streamed request bodies (attachments) may be much larger than XML bodies.
inline constexpr std::uint64_t stream_body_limit = 4ULL * 1024 * 1024 * 1024;

template <class Stream>
class exchange_on final : public stream_exchange {
 public:
  // `watch` runs until the handler first reads or writes the connection.
  exchange_on(Stream& s, beast::flat_buffer& buffer, http::request_parser<http::empty_body>&& head,
              std::chrono::milliseconds idle, bool expects_continue, client_watch<Stream>& watch)
      : stream_(s),
        buffer_(buffer),
        parser_(std::move(head)),
        idle_(idle),
        owe_continue_(expects_continue),
        head_request_(parser_.get().method() == http::verb::head),
        watch_(watch) {
    parser_.body_limit(stream_body_limit);
  }

  bool failed() const { return failed_; }
  bool answered() const { return finished_; }
  bool body_done() const { return parser_.is_done(); }

  awaitable<std::optional<std::size_t>> read_body(std::span<char> into) override {
    co_await watch_.stop();
    if (parser_.is_done() || into.empty()) co_return std::size_t{0};
    if (owe_continue_) {
      owe_continue_ = false;
      if (!co_await send_continue(stream_, idle_)) {
        failed_ = true;
        co_return std::nullopt;
      }
    }
    parser_.get().body().data = into.data();
    parser_.get().body().size = into.size();
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_read(stream_, buffer_, parser_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      failed_ = true;
      co_return std::nullopt;
    }
    const std::size_t got = into.size() - parser_.get().body().size;
    bytes_read_ += got;
    co_return got;
  }

  // An answer given before the body was read whole says Connection: close (the server
  // then drains what the client still sends and closes).
  awaitable<bool> write_head(response_head head, std::optional<std::uint64_t> content_length) override {
    co_await watch_.stop();
    response_.emplace(std::move(head));
    response_->version(11);
    if (content_length) {
      response_->content_length(*content_length);
    } else if (!head_request_) {
      response_->chunked(true);
    }
    response_->keep_alive(parser_.is_done() && parser_.get().keep_alive());
    response_->body().data = nullptr;
    response_->body().more = true;
    serializer_.emplace(*response_);
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_write_header(stream_, *serializer_, use_tuple);
    failed_ = failed_ || static_cast<bool>(ec);
    co_return !ec;
  }

  // To a HEAD request the answer is its head alone: body bytes are dropped.
  awaitable<bool> write_body(std::span<const char> data) override {
    if (!serializer_ || failed_) co_return false;
    if (data.empty() || head_request_) co_return true;
    response_->body().data = const_cast<char*>(data.data());
    response_->body().size = data.size();
    response_->body().more = true;
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_write(stream_, *serializer_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    failed_ = failed_ || static_cast<bool>(ec);
    if (!ec) bytes_written_ += data.size();
    co_return !ec;
  }

  awaitable<bool> finish() override {
    if (!serializer_ || failed_) co_return false;
    if (head_request_) {
      finished_ = true;
      co_return true;
    }
    response_->body().data = nullptr;
    response_->body().size = 0;
    response_->body().more = false;
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_write(stream_, *serializer_, use_tuple);
    failed_ = failed_ || static_cast<bool>(ec);
    finished_ = !ec;
    co_return !ec;
  }

  // Whether the connection can serve another request: the body was read to its end and
  // the answer written whole.
  bool reusable() const { return !failed_ && finished_ && parser_.is_done() && response_->keep_alive(); }

 private:
  Stream& stream_;
  beast::flat_buffer& buffer_;
  http::request_parser<http::buffer_body> parser_;
  std::chrono::milliseconds idle_;
  std::optional<http::response<http::buffer_body>> response_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  bool failed_ = false;
  bool finished_ = false;
  bool owe_continue_ = false;  // the client waits for 100 Continue before sending the body
  bool head_request_ = false;
  client_watch<Stream>& watch_;
};

}  // namespace pcbridge::proxy::wire
