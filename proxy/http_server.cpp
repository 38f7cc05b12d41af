#include "proxy/http_server.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <system_error>

#include "proxy/coro.hpp"

namespace pcbridge::proxy {

namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// Streamed request bodies (attachments) may be much larger than XML bodies.
constexpr std::uint64_t stream_body_limit = 4ULL * 1024 * 1024 * 1024;

template <class Stream>
beast::tcp_stream& lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

// The stream_exchange of one request on a plain or TLS connection.
template <class Stream>
class exchange_on final : public stream_exchange {
 public:
  exchange_on(Stream& s, beast::flat_buffer& buffer, http::request_parser<http::empty_body>&& head,
              std::chrono::milliseconds idle, bool expects_continue)
      : stream_(s), buffer_(buffer), parser_(std::move(head)), idle_(idle), owe_continue_(expects_continue) {
    parser_.body_limit(stream_body_limit);
  }

  bool failed() const { return failed_; }
  bool answered() const { return finished_; }
  bool body_done() const { return parser_.is_done(); }

  awaitable<std::optional<std::size_t>> read_body(std::span<char> into) override {
    if (parser_.is_done() || into.empty()) co_return std::size_t{0};
    if (owe_continue_) {
      owe_continue_ = false;
      http::response<http::empty_body> go_on{http::status::continue_, 11};
      lowest(stream_).expires_after(idle_);
      auto [cec, cn] = co_await http::async_write(stream_, go_on, use_tuple);
      if (cec) {
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
    co_return into.size() - parser_.get().body().size;
  }

  awaitable<bool> write_head(response_head head, std::optional<std::uint64_t> content_length) override {
    response_.emplace(std::move(head));
    response_->version(11);
    if (content_length) {
      response_->content_length(*content_length);
    } else {
      response_->chunked(true);
    }
    response_->body().data = nullptr;
    response_->body().more = true;
    serializer_.emplace(*response_);
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_write_header(stream_, *serializer_, use_tuple);
    failed_ = failed_ || static_cast<bool>(ec);
    co_return !ec;
  }

  awaitable<bool> write_body(std::span<const char> data) override {
    if (!serializer_ || failed_) co_return false;
    if (data.empty()) co_return true;
    response_->body().data = const_cast<char*>(data.data());
    response_->body().size = data.size();
    response_->body().more = true;
    lowest(stream_).expires_after(idle_);
    auto [ec, n] = co_await http::async_write(stream_, *serializer_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    failed_ = failed_ || static_cast<bool>(ec);
    co_return !ec;
  }

  awaitable<bool> finish() override {
    if (!serializer_ || failed_) co_return false;
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
  bool reusable() const { return !failed_ && finished_ && parser_.is_done() && parser_.get().keep_alive(); }

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
};

// Reads and drops what the client still sends after a refusal (for up to a second), so a
// client that writes its whole body before reading sees the 413 instead of a reset.
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

// Tells the handler when the client closes its side while the handler runs. Only an
// orderly close (EOF) counts; bytes waiting (a pipelined request) do not.
awaitable<void> watch_for_disconnect(tcp::socket& socket, std::shared_ptr<bool> active, connection_events* events) {
  auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, use_tuple);
  if (ec || !*active) co_return;
  char probe;
  if (::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT) == 0 && events->on_disconnect)
    events->on_disconnect();
}

}  // namespace

// Counts a request as active for as long as it lives in the serve loop.
class active_request {
 public:
  explicit active_request(std::size_t& counter) : counter_(counter) { ++counter_; }
  ~active_request() { --counter_; }
  active_request(const active_request&) = delete;
  active_request& operator=(const active_request&) = delete;

 private:
  std::size_t& counter_;
};

struct http_server::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& io, server_options o, async_request_handler h, streaming_hooks s)
      : io_(io), opts_(std::move(o)), handler_(std::move(h)), streaming_(std::move(s)), acceptor_(io), slot_freed_(io) {}

  asio::io_context& io_;
  server_options opts_;
  async_request_handler handler_;
  streaming_hooks streaming_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ssl::context> tls_;
  std::size_t open_ = 0;
  std::size_t active_ = 0;  // requests between their head and the last byte of their answer
  bool draining_ = false;
  asio::steady_timer slot_freed_;  // the accept loop waits on it while at max_connections

  string_response refuse(http::status status, const std::string& message) const {
    string_response res = opts_.refusal ? opts_.refusal(status, message) : string_response{status, 11};
    if (!opts_.refusal) res.body() = message + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
  }

  awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      while (open_ >= opts_.max_connections && acceptor_.is_open()) {
        slot_freed_.expires_at(asio::steady_timer::time_point::max());
        co_await slot_freed_.async_wait(use_tuple);
      }
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
      ++open_;
      asio::co_spawn(io_, run_connection(std::move(socket)), asio::detached);
    }
  }

  awaitable<void> run_connection(tcp::socket socket) {
    auto self = shared_from_this();
    if (auto context = tls_) {  // the context stays alive as long as this connection
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *context);
      lowest(stream).expires_after(opts_.header_timeout);
      auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
      if (!hec) {
        co_await serve(stream);
        lowest(stream).expires_after(std::chrono::seconds(1));
        co_await stream.async_shutdown(use_tuple);
      }
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await serve(stream);
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    --open_;
    slot_freed_.cancel();
  }

  template <class Stream>
  awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    bool first = true;
    while (!draining_ || first) {
      http::request_parser<http::empty_body> head;
      head.header_limit(static_cast<std::uint32_t>(opts_.header_limit));
      // Beast checks Content-Length against the body limit when the head is read; the
      // limit that applies (XML or streamed) is set once the route is known.
      head.body_limit(boost::none);
      lowest(stream).expires_after(first ? opts_.header_timeout : opts_.idle_timeout);
      first = false;
      auto [ec, n] = co_await http::async_read_header(stream, buffer, head, use_tuple);
      if (ec == http::error::header_limit) {
        string_response res = refuse(http::status::request_header_fields_too_large,
                                     "request header larger than " + std::to_string(opts_.header_limit) + " bytes");
        co_await http::async_write(stream, res, use_tuple);
        co_return;
      }
      if (ec) co_return;  // closed, timed out or malformed: nothing sensible to answer
      const active_request counted(active_);

      lowest(stream).expires_after(opts_.idle_timeout);
      const bool expects_continue = beast::iequals(head.get()[http::field::expect], "100-continue");

      if (streaming_.wants && streaming_.wants(head.get())) {
        // A streamed body is asked for (100 Continue) only when the handler starts reading
        // it, i.e. after the request was authenticated.
        const request_head header = head.get().base();
        exchange_on<Stream> exchange(stream, buffer, std::move(head), opts_.idle_timeout, expects_continue);
        connection_events events;
        co_await streaming_.handle(header, exchange, events);
        if (exchange.answered() && !exchange.body_done()) co_await discard_input(stream);
        if (!exchange.reusable() || draining_) co_return;
        continue;
      }

      if (expects_continue) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        auto [cec, cn] = co_await http::async_write(stream, go_on, use_tuple);
        if (cec) co_return;
      }

      http::request_parser<http::string_body> parser(std::move(head));
      parser.body_limit(opts_.body_limit);
      // Beast compares Content-Length with the limit only while reading the head: check it here.
      const auto declared = parser.content_length();
      beast::error_code bec;
      if (declared && *declared > opts_.body_limit) {
        bec = http::error::body_limit;
      } else {
        auto [read_ec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
        bec = read_ec;
      }
      if (bec == http::error::body_limit) {
        string_response res = refuse(http::status::payload_too_large,
                                     "request body larger than " + std::to_string(opts_.body_limit) + " bytes");
        auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
        if (!wec) co_await discard_input(stream);
        co_return;
      }
      if (bec) co_return;

      string_request req = parser.release();
      connection_events events;
      auto watching = std::make_shared<bool>(true);
      asio::co_spawn(io_, watch_for_disconnect(lowest(stream).socket(), watching, &events), asio::detached);
      handler_result result = co_await handler_(req, events);
      *watching = false;
      beast::error_code ignored;
      lowest(stream).socket().cancel(ignored);  // ends the watch

      if (result.delay.count() > 0) {
        asio::steady_timer timer(io_, result.delay);
        co_await timer.async_wait(use_tuple);
      }
      if (result.drop_connection) {
        // Abortive close (RST): the client sees a reset after its request was sent.
        lowest(stream).socket().set_option(tcp::socket::linger(true, 0), ignored);
        lowest(stream).socket().close(ignored);
        co_return;
      }
      string_response& res = result.response;
      res.version(req.version());
      res.keep_alive(req.keep_alive() && res.keep_alive() && !draining_);
      if (req.method() != http::verb::head) res.prepare_payload();
      lowest(stream).expires_after(opts_.idle_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
      if (wec || !res.keep_alive()) co_return;
    }
  }
};

http_server::http_server(asio::io_context& io, server_options opts, async_request_handler handler,
                         streaming_hooks streaming)
    : impl_(std::make_shared<impl>(io, std::move(opts), std::move(handler), std::move(streaming))) {}

http_server::http_server(asio::io_context& io, server_options opts, request_handler handler)
    : http_server(io, std::move(opts),
                  async_request_handler([h = std::move(handler)](string_request& req, connection_events&)
                                            -> awaitable<handler_result> { co_return h(req); })) {}

http_server::~http_server() { stop(); }

void http_server::use_tls(std::shared_ptr<ssl::context> context) { impl_->tls_ = std::move(context); }

void http_server::start() {
  auto address = asio::ip::make_address(impl_->opts_.address);
  tcp::endpoint endpoint(address, impl_->opts_.port);
  impl_->acceptor_.open(endpoint.protocol());
  impl_->acceptor_.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor_.bind(endpoint);
  impl_->acceptor_.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(impl_->io_, impl_->accept_loop(), asio::detached);
}

void http_server::drain() {
  impl_->draining_ = true;
  stop();
}

void http_server::stop() {
  beast::error_code ignored;
  impl_->acceptor_.close(ignored);
  impl_->slot_freed_.cancel();
}

std::uint16_t http_server::bound_port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::size_t http_server::active_requests() const { return impl_->active_; }

}  // namespace pcbridge::proxy
