#include "proxy/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <system_error>

#include "proxy/coro.hpp"

namespace pcbridge::proxy {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct http_server::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& io, server_options o, async_request_handler h)
      : io_(io), opts_(std::move(o)), handler_(std::move(h)), acceptor_(io) {}

  asio::io_context& io_;
  server_options opts_;
  async_request_handler handler_;
  tcp::acceptor acceptor_;

  awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  awaitable<void> serve(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(opts_.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(opts_.header_limit));
      stream.expires_after(first ? opts_.header_timeout : opts_.idle_timeout);
      first = false;
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        const bool body = ec == http::error::body_limit;
        const auto status = body ? http::status::payload_too_large : http::status::request_header_fields_too_large;
        const std::string message = body ? "request body larger than " + std::to_string(opts_.body_limit) + " bytes"
                                         : "request header larger than " + std::to_string(opts_.header_limit) + " bytes";
        string_response res = opts_.refusal ? opts_.refusal(status, message) : string_response{status, 11};
        if (!opts_.refusal) res.body() = message + "\n";
        res.keep_alive(false);
        res.prepare_payload();
        stream.expires_after(opts_.header_timeout);
        co_await http::async_write(stream, res, use_tuple);
        break;
      }
      if (ec) break;  // closed, timed out or malformed: nothing sensible to answer

      string_request req = parser.release();
      handler_result result = co_await handler_(req);
      if (result.delay.count() > 0) {
        asio::steady_timer timer(io_, result.delay);
        co_await timer.async_wait(use_tuple);
      }
      if (result.drop_connection) {
        // Abortive close (RST): the client sees a reset after its request was sent.
        beast::error_code ignored;
        stream.socket().set_option(tcp::socket::linger(true, 0), ignored);
        stream.socket().close(ignored);
        co_return;
      }
      string_response& res = result.response;
      res.version(req.version());
      res.keep_alive(req.keep_alive() && res.keep_alive());
      res.prepare_payload();
      stream.expires_after(opts_.idle_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
      if (wec || !res.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

http_server::http_server(asio::io_context& io, server_options opts, async_request_handler handler)
    : impl_(std::make_shared<impl>(io, std::move(opts), std::move(handler))) {}

http_server::http_server(asio::io_context& io, server_options opts, request_handler handler)
    : http_server(io, std::move(opts), async_request_handler([h = std::move(handler)](string_request& req) -> awaitable<handler_result> {
        co_return h(req);
      })) {}

http_server::~http_server() { stop(); }

void http_server::start() {
  auto address = asio::ip::make_address(impl_->opts_.address);
  tcp::endpoint endpoint(address, impl_->opts_.port);
  impl_->acceptor_.open(endpoint.protocol());
  impl_->acceptor_.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor_.bind(endpoint);
  impl_->acceptor_.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(impl_->io_, impl_->accept_loop(), asio::detached);
}

void http_server::stop() {
  beast::error_code ignored;
  impl_->acceptor_.close(ignored);
}

std::uint16_t http_server::bound_port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

}  // namespace pcbridge::proxy
