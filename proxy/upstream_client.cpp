#include "proxy/upstream_client.hpp"

#include "proxy/message_write.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

#include <poll.h>

#include <limits>

namespace pcbridge::proxy {

namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct upstream_client::connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }
};

struct upstream_client::connection_handle {
  std::unique_ptr<connection> conn;
};

namespace {

std::string status_refusal(int status) {
  std::string why;
  if (status == 101) why = " (a protocol switch)";
  else if (status / 100 == 1) why = " (an interim answer pcbridge does not expect)";
  else if (status / 100 == 3) why = " (pcbridge does not follow redirects)";
  else why = " (not an HTTP status pcbridge knows)";
  return "upstream answered with HTTP status " + std::to_string(status) + why + ", which pcbridge does not pass on";
}

struct exchange_outcome {
  upstream_result result;
  bool received_any = false;  // tells a stale pooled connection (closed before answering) apart
  bool reusable = false;
};

// One request/response on an open connection.
template <class Stream>
awaitable<exchange_outcome> exchange(Stream& stream, beast::flat_buffer& buffer,
                                     http::request<http::string_body>& req, std::size_t limit) {
  exchange_outcome out;
  auto [wec, written] = co_await wire::async_write_whole(stream, req);
  out.result.may_have_been_sent = written > 0 || !wec;
  if (wec) {
    out.result.failure = wec == beast::error::timeout ? upstream_failure::timeout : upstream_failure::broken;
    out.result.detail = "sending request: " + wec.message();
    co_return out;
  }
  answer_options options;
  options.head_request = req.method() == http::verb::head;
  options.body_limit = limit;
  framed_answer answer = co_await read_answer(stream, buffer, options);
  out.received_any = answer.framing.received_any;
  if (answer.framing.failure != upstream_failure::none) {
    out.result.failure = answer.framing.failure;
    out.result.detail = std::move(answer.framing.detail);
    co_return out;
  }
  out.reusable = answer.framing.reusable;
  out.result.response = std::move(answer.response);
  if (const int status = out.result.response.result_int(); !passable_status(status)) {
    out.result.failure = upstream_failure::bad_status;
    out.result.detail = status_refusal(status);
  }
  co_return out;
}

// Whether an idle connection is still quiet: nothing buffered, nothing readable and not
// closed by the server. Whatever it would read first is not the answer to a new request.
bool still_quiet(upstream_client::connection& c) {
  if (c.buffer.size() > 0) return false;
  if (c.secure && SSL_pending(c.secure->native_handle()) > 0) return false;
  auto& socket = c.lowest().socket();
  if (!socket.is_open()) return false;
  pollfd p{socket.native_handle(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

template <class Stream>
class stream_on final : public upstream_stream {
 public:
  stream_on(std::unique_ptr<upstream_client::connection_handle> owner, Stream& s, beast::flat_buffer& buffer,
            std::chrono::milliseconds step)
      : owner_(std::move(owner)), stream_(s), buffer_(buffer), step_(step) {}

  awaitable<bool> write_head(http::request_header<> head, std::optional<std::uint64_t> content_length) override {
    request_.emplace(std::move(head));
    request_->version(11);
    if (content_length) {
      request_->content_length(*content_length);
    } else {
      request_->chunked(true);
    }
    request_->body().data = nullptr;
    request_->body().more = !content_length || *content_length > 0;
    serializer_.emplace(*request_);
    arm();
    auto [ec, n] = co_await http::async_write_header(stream_, *serializer_, use_tuple);
    co_return ok(ec, "sending request head");
  }

  awaitable<bool> write_body(std::span<const char> data) override {
    if (data.empty()) co_return true;
    request_->body().data = const_cast<char*>(data.data());
    request_->body().size = data.size();
    request_->body().more = true;
    arm();
    auto [ec, n] = co_await http::async_write(stream_, *serializer_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    co_return ok(ec, "sending request body");
  }

  awaitable<bool> finish_body() override {
    request_->body().data = nullptr;
    request_->body().size = 0;
    request_->body().more = false;
    arm();
    auto [ec, n] = co_await http::async_write(stream_, *serializer_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    co_return ok(ec, "finishing request body");
  }

  // Interim answers skipped, HEAD honoured: upstream_framing.hpp. This connection is never
  // pooled, so reuse does not matter here.
  awaitable<std::optional<http::response_header<>>> read_head() override {
    answer_options options;
    options.head_request = request_ && request_->method() == http::verb::head;
    options.body_limit = std::numeric_limits<std::uint64_t>::max();
    arm();
    answer_framing framing = co_await read_answer_head(stream_, buffer_, parser_, options);
    if (framing.failure != upstream_failure::none) {
      timed_out = framing.failure == upstream_failure::timeout;
      detail = std::move(framing.detail);
      co_return std::nullopt;
    }
    if (const int status = parser_->get().result_int(); !passable_status(status)) {
      bad_status = true;
      detail = status_refusal(status);
      co_return std::nullopt;
    }
    co_return parser_->get().base();
  }

  awaitable<std::optional<std::size_t>> read_body(std::span<char> into) override {
    if (!parser_ || parser_->is_done() || into.empty()) co_return std::size_t{0};
    parser_->get().body().data = into.data();
    parser_->get().body().size = into.size();
    arm();
    auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    if (!ok(ec, "reading answer body")) co_return std::nullopt;
    co_return into.size() - parser_->get().body().size;
  }

  std::optional<std::uint64_t> content_length() const override {
    if (!parser_) return std::nullopt;
    auto length = parser_->content_length();
    if (!length) return std::nullopt;
    return *length;
  }

 private:
  void arm() { beast::get_lowest_layer(stream_).expires_after(step_); }
  bool ok(const beast::error_code& ec, const char* what) {
    if (!ec) return true;
    timed_out = ec == beast::error::timeout;
    detail = std::string(what) + ": " + ec.message();
    return false;
  }

  std::unique_ptr<upstream_client::connection_handle> owner_;
  Stream& stream_;
  beast::flat_buffer& buffer_;
  std::chrono::milliseconds step_;
  std::optional<http::request<http::buffer_body>> request_;
  std::optional<http::request_serializer<http::buffer_body>> serializer_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
};

}  // namespace

awaitable<std::unique_ptr<upstream_stream>> upstream_client::open_stream(const endpoint& to,
                                                                         std::chrono::milliseconds step_timeout,
                                                                         std::string& detail) {
  auto handle = std::make_unique<connection_handle>();
  handle->conn = co_await connect(to, clock_type::now() + step_timeout, detail);
  if (!handle->conn) co_return nullptr;
  connection& c = *handle->conn;
  std::unique_ptr<upstream_stream> out;
  if (c.plain) {
    out = std::make_unique<stream_on<beast::tcp_stream>>(std::move(handle), *c.plain, c.buffer, step_timeout);
  } else {
    out = std::make_unique<stream_on<beast::ssl_stream<beast::tcp_stream>>>(std::move(handle), *c.secure, c.buffer,
                                                                          step_timeout);
  }
  co_return out;
}

upstream_client::upstream_client(asio::any_io_executor executor, std::string ca_file, std::size_t max_response_bytes)
    : executor_(std::move(executor)),
      tls_(std::make_unique<ssl::context>(ssl::context::tls_client)),
      max_response_bytes_(max_response_bytes) {
  tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls_->set_verify_mode(ssl::verify_peer);
  tls_->set_default_verify_paths();
  if (!ca_file.empty()) tls_->load_verify_file(ca_file);  // start-up only: throws on a bad file
}

upstream_client::~upstream_client() = default;

std::unique_ptr<upstream_client::connection> upstream_client::take_idle(const std::string& key) {
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  while (!it->second.empty()) {
    std::unique_ptr<connection> conn = std::move(it->second.back());
    it->second.pop_back();
    boost::system::error_code ignored;
    conn->lowest().socket().cancel(ignored);  // ends its idle watch
    if (still_quiet(*conn)) return conn;
  }
  return nullptr;
}

void upstream_client::park(const std::string& key, std::unique_ptr<connection> conn) {
  auto& pool = idle_[key];
  if (pool.size() >= max_idle_per_endpoint) return;
  conn->lowest().expires_never();
  connection* parked = conn.get();
  pool.push_back(std::move(conn));
  // Readable while idle: unsolicited bytes or the server's close. Either way it is done.
  parked->lowest().socket().async_wait(
      tcp::socket::wait_read, [this, key, parked, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted || alive.expired()) return;
        auto it = idle_.find(key);
        if (it == idle_.end()) return;
        std::erase_if(it->second, [parked](const std::unique_ptr<connection>& c) { return c.get() == parked; });
      });
}

awaitable<std::unique_ptr<upstream_client::connection>> upstream_client::connect(
    const endpoint& to, clock_type::time_point deadline, std::string& detail) {
  tcp::resolver resolver(executor_);
  auto [rec, results] = co_await resolver.async_resolve(to.host, to.port, use_tuple);
  if (rec) {
    detail = "resolving " + to.host + ": " + rec.message();
    co_return nullptr;
  }
  auto conn = std::make_unique<connection>();
  conn->buffer.reserve(initial_read_capacity);
  if (to.tls) {
    conn->secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor_, *tls_);
  } else {
    conn->plain = std::make_unique<beast::tcp_stream>(executor_);
  }
  conn->lowest().expires_at(deadline);
  auto [cec, ep] = co_await conn->lowest().async_connect(results, use_tuple);
  if (cec) {
    detail = "connecting to " + to.host + ":" + to.port + ": " + cec.message();
    co_return nullptr;
  }
  if (to.tls) {
    // SNI, then verify the certificate chain and that it names this host.
    if (!SSL_set_tlsext_host_name(conn->secure->native_handle(), to.host.c_str())) {
      detail = "TLS: cannot set server name";
      co_return nullptr;
    }
    conn->secure->set_verify_callback(ssl::host_name_verification(to.host));
    auto [hec] = co_await conn->secure->async_handshake(ssl::stream_base::client, use_tuple);
    if (hec) {
      detail = "TLS handshake with " + to.host + ": " + hec.message();
      co_return nullptr;
    }
  }
  co_return conn;
}

awaitable<upstream_result> upstream_client::send(const endpoint& to, upstream_request request) {
  const auto deadline = clock_type::now() + request.timeout;

  http::request<http::string_body> req{request.method, request.target, 11};
  req.set(http::field::host, to.host);
  for (auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == http::verb::post || request.method == http::verb::put) {
    req.body() = std::move(request.body);
  }
  req.keep_alive(true);
  req.prepare_payload();

  const std::string key = to.key();
  // Idempotent calls may reuse a pooled connection, and try once more on a fresh one
  // when the pooled one turns out to be closed before any answer byte arrived.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<connection> conn;
    if (request.idempotent && attempt == 0) conn = take_idle(key);
    const bool pooled = conn != nullptr;
    if (!conn) {
      std::string detail;
      conn = co_await connect(to, deadline, detail);
      if (!conn) {
        upstream_result failed;
        failed.failure = clock_type::now() >= deadline ? upstream_failure::timeout : upstream_failure::connect;
        failed.detail = detail;
        co_return failed;
      }
    }
    conn->lowest().expires_at(deadline);
    // Plain if/else: GCC 12 miscompiles co_await inside a conditional expression.
    exchange_outcome out;
    if (conn->plain) {
      out = co_await exchange(*conn->plain, conn->buffer, req, max_response_bytes_);
    } else {
      out = co_await exchange(*conn->secure, conn->buffer, req, max_response_bytes_);
    }
    if (out.reusable) park(key, std::move(conn));  // otherwise closed here
    if (pooled && out.result.failure == upstream_failure::broken && !out.received_any) continue;
    co_return std::move(out.result);
  }
  upstream_result failed;
  failed.failure = upstream_failure::broken;
  failed.detail = "connection closed twice";
  co_return failed;
}

}  // namespace pcbridge::proxy
