#include "proxy/upstream_client.hpp"

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

upstream_failure classify(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return upstream_failure::timeout;
  if (ec == http::error::body_limit || ec == http::error::header_limit) return upstream_failure::too_large;
  return upstream_failure::broken;
}

// One request/response on an open connection. `received_any` tells a stale pooled
// connection (closed before answering a byte) apart from a failure mid-answer.
template <class Stream>
awaitable<upstream_result> exchange(Stream& stream, beast::flat_buffer& buffer,
                                    http::request<http::string_body>& req, std::size_t limit,
                                    bool& received_any) {
  upstream_result result;
  received_any = false;
  auto [wec, written] = co_await http::async_write(stream, req, use_tuple);
  result.may_have_been_sent = written > 0 || !wec;
  if (wec) {
    result.failure = classify(wec);
    result.detail = "sending request: " + wec.message();
    co_return result;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(limit);
  parser.header_limit(64 * 1024);
  auto [rec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
  received_any = read > 0 || buffer.size() > 0;
  if (rec) {
    result.failure = classify(rec);
    result.detail = "reading answer: " + rec.message();
    co_return result;
  }
  result.response = parser.release();
  co_return result;
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

  awaitable<std::optional<http::response_header<>>> read_head() override {
    parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_.header_limit(64 * 1024);
    arm();
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser_, use_tuple);
    if (!ok(ec, "reading answer head")) co_return std::nullopt;
    co_return parser_.get().base();
  }

  awaitable<std::optional<std::size_t>> read_body(std::span<char> into) override {
    if (parser_.is_done() || into.empty()) co_return std::size_t{0};
    parser_.get().body().data = into.data();
    parser_.get().body().size = into.size();
    arm();
    auto [ec, n] = co_await http::async_read(stream_, buffer_, parser_, use_tuple);
    if (ec == http::error::need_buffer) ec = {};
    if (!ok(ec, "reading answer body")) co_return std::nullopt;
    co_return into.size() - parser_.get().body().size;
  }

  std::optional<std::uint64_t> content_length() const override {
    auto length = parser_.content_length();
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
  http::response_parser<http::buffer_body> parser_;
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

awaitable<std::unique_ptr<upstream_client::connection>> upstream_client::connect(
    const endpoint& to, clock_type::time_point deadline, std::string& detail) {
  tcp::resolver resolver(executor_);
  auto [rec, results] = co_await resolver.async_resolve(to.host, to.port, use_tuple);
  if (rec) {
    detail = "resolving " + to.host + ": " + rec.message();
    co_return nullptr;
  }
  auto conn = std::make_unique<connection>();
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
    bool pooled = false;
    auto& idle = idle_[key];
    if (request.idempotent && attempt == 0 && !idle.empty()) {
      conn = std::move(idle.back());
      idle.pop_back();
      pooled = true;
    }
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
    bool received_any = false;
    // Plain if/else: GCC 12 miscompiles co_await inside a conditional expression.
    upstream_result result;
    if (conn->plain) {
      result = co_await exchange(*conn->plain, conn->buffer, req, max_response_bytes_, received_any);
    } else {
      result = co_await exchange(*conn->secure, conn->buffer, req, max_response_bytes_, received_any);
    }
    if (result.failure == upstream_failure::none) {
      if (result.response.keep_alive()) {
        conn->lowest().expires_never();
        auto& pool = idle_[key];
        if (pool.size() < max_idle_per_endpoint) pool.push_back(std::move(conn));
      }
      co_return result;
    }
    if (pooled && result.failure == upstream_failure::broken && !received_any) continue;
    co_return result;
  }
  upstream_result failed;
  failed.failure = upstream_failure::broken;
  failed.detail = "connection closed twice";
  co_return failed;
}

}  // namespace pcbridge::proxy
