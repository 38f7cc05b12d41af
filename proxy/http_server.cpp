#include "proxy/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <system_error>

#include "proxy/body_budget.hpp"
#include "proxy/client_watch.hpp"
#include "proxy/coro.hpp"
#include "proxy/http_wire.hpp"
#include "proxy/stream_exchange_on.hpp"

namespace pcbridge::proxy {

namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using wire::lowest;

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
      : io_(io),
        opts_(std::move(o)),
        handler_(std::move(h)),
        streaming_(std::move(s)),
        acceptor_(io),
        slot_freed_(io),
        buffered_(opts_.max_buffered_body_bytes) {}

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
  body_budget buffered_;           // request bodies held in memory, all connections

  string_response refuse(const std::string& remote, http::status status, const std::string& message) const {
    string_response res = opts_.refusal ? opts_.refusal(status, message, remote) : string_response{status, 11};
    if (!opts_.refusal) res.body() = message + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
  }

  template <class Stream>
  static std::string remote_of(Stream& stream) {
    beast::error_code ec;
    const auto peer = lowest(stream).socket().remote_endpoint(ec);
    if (ec) return "-";
    return peer.address().to_string() + ":" + std::to_string(peer.port());
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
    const std::string remote = remote_of(stream);  // once per connection, not per request
    bool first = true;
    while (!draining_ || first) {
      http::request_parser<http::empty_body> head;
      head.header_limit(static_cast<std::uint32_t>(opts_.header_limit));
      // Beast checks Content-Length against the body limit when the head is read; the
      // limit that applies (XML or streamed) is set once the route is known.
      head.body_limit(boost::none);
      const wire::head_outcome read =
          co_await wire::read_head(stream, buffer, head, first, opts_.header_timeout, opts_.idle_timeout);
      first = false;
      // A head that cannot be read whole is answered (400, 431) and the connection closed:
      // where its body would start is unknown.
      const wire::request_facts unknown{11, false, false};
      if (read == wire::head_outcome::too_large) {
        co_await wire::answer_before_body(stream, refuse(remote, http::status::request_header_fields_too_large,
                                                         "request header larger than " +
                                                             std::to_string(opts_.header_limit) + " bytes"),
                                          unknown, true, opts_.idle_timeout);
        co_return;
      }
      if (read == wire::head_outcome::malformed) {
        co_await wire::answer_before_body(stream, refuse(remote, http::status::bad_request, "malformed HTTP request"), unknown,
                                          true, opts_.idle_timeout);
        co_return;
      }
      if (read != wire::head_outcome::ok) co_return;  // closed, reset or timed out: nobody to answer
      const active_request counted(active_);
      if (!co_await serve_request(stream, buffer, head, remote)) co_return;
    }
  }

  // One request whose head was read; whether the connection can serve another.
  template <class Stream>
  awaitable<bool> serve_request(Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::empty_body>& head,
                                const std::string& remote) {
    wire::request_facts facts = wire::facts_of(head.get());
    facts.keep_alive = facts.keep_alive && !draining_;
    const bool body_pending = !head.is_done();
    if (auto problem = wire::head_problem(head.get()))
      co_return co_await wire::answer_before_body(stream, refuse(remote, http::status::bad_request, *problem), facts,
                                                  body_pending, opts_.idle_timeout);
    // The head check exists to refuse before a body is read (or asked for); a request
    // without one gets the same refusal from its handler, which makes the checks anyway,
    // so it is not checked twice.
    if (opts_.check_head && body_pending)
      if (auto answer = opts_.check_head(head.get()))
        co_return co_await wire::answer_before_body(stream, std::move(*answer), facts, body_pending,
                                                    opts_.idle_timeout);
    const bool expects_continue = beast::iequals(head.get()[http::field::expect], "100-continue");

    if (streaming_.wants && streaming_.wants(head.get())) {
      // A streamed body is asked for (100 Continue) only when the handler starts reading
      // it, i.e. after the request was authenticated and given its quota turn.
      const request_head header = head.get().base();
      connection_events events;
      events.remote_address = remote;
      wire::client_watch<Stream> watch(stream, events, header.version() >= 11 && !body_pending);
      wire::exchange_on<Stream> exchange(stream, buffer, std::move(head), opts_.idle_timeout, expects_continue, watch);
      watch.start();
      co_await streaming_.handle(header, exchange, events);
      co_await watch.stop();
      if (exchange.answered() && !exchange.body_done()) {
        co_await wire::linger_and_close(stream);
        co_return false;
      }
      co_return exchange.reusable() && !draining_;
    }

    http::request_parser<http::string_body> parser(std::move(head));
    parser.body_limit(opts_.body_limit);
    // Beast compares Content-Length with the limit only while reading the head: check it here.
    const auto declared = parser.content_length();
    const auto too_large = [&] {
      return refuse(remote, http::status::payload_too_large,
                    "request body larger than " + std::to_string(opts_.body_limit) + " bytes");
    };
    if (declared && *declared > opts_.body_limit)
      co_return co_await wire::answer_before_body(stream, too_large(), facts, true, opts_.idle_timeout);
    // The body's bytes are held from the moment they are read until the answer is written.
    body_budget::reservation held(buffered_);
    const auto no_room = [&] {
      string_response res = refuse(remote, http::status::service_unavailable,
                                   "too many request bodies in memory at once; send it again shortly");
      res.set(http::field::retry_after, "1");
      return res;
    };
    if (body_pending && !held.grow_to(static_cast<std::size_t>(declared.value_or(0))))
      co_return co_await wire::answer_before_body(stream, no_room(), facts, true, opts_.idle_timeout);
    if (expects_continue && body_pending && !co_await wire::send_continue(stream, opts_.idle_timeout)) co_return false;

    lowest(stream).expires_after(opts_.idle_timeout);
    while (!parser.is_done()) {
      auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, use_tuple);
      if (ec == http::error::body_limit)
        co_return co_await wire::answer_before_body(stream, too_large(), facts, true, opts_.idle_timeout);
      if (ec) co_return false;
      if (!held.grow_to(parser.get().body().size()))  // a chunked body, its size known only as it comes
        co_return co_await wire::answer_before_body(stream, no_room(), facts, true, opts_.idle_timeout);
    }

    string_request req = parser.release();
    connection_events events;
    events.remote_address = remote;
    wire::client_watch<Stream> watch(stream, events, req.version() >= 11);
    watch.start();
    handler_result result = co_await handler_(req, events);
    co_await watch.stop();

    if (result.delay.count() > 0) {
      asio::steady_timer timer(io_, result.delay);
      co_await timer.async_wait(use_tuple);
    }
    if (result.drop_connection) {
      // Abortive close (RST): the client sees a reset after its request was sent.
      beast::error_code ignored;
      lowest(stream).socket().set_option(tcp::socket::linger(true, 0), ignored);
      lowest(stream).socket().close(ignored);
      co_return false;
    }
    string_response& res = result.response;
    res.version(req.version());
    res.keep_alive(req.keep_alive() && res.keep_alive() && !draining_);
    const bool written = co_await wire::write_answer(stream, res, facts.head_method, opts_.idle_timeout);
    co_return written && res.keep_alive();
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
