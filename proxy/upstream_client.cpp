#include "proxy/upstream_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

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

}  // namespace

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
