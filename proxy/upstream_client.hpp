#pragma once
// HTTP/1.1 client for the V2 API and the token endpoint: plain TCP or TLS (OpenSSL,
// SNI, peer and host-name verification), keep-alive connection reuse, one deadline per
// exchange. Retry policy lives with the caller; this class only reports whether the
// request may have reached the server.
// A connection is pooled only after an exchange upstream_framing.hpp calls reusable, and
// is dropped if it becomes readable while idle (unsolicited bytes or a close): the next
// request on it must read its own answer, never the rest of someone else's.
// Statuses a V1 client may not see (passable_status) come back as bad_status.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "proxy/coro.hpp"
#include "proxy/endpoint.hpp"
#include "proxy/upstream_framing.hpp"

namespace pcbridge::proxy {

namespace http = boost::beast::http;

struct upstream_request {
  http::verb method = http::verb::get;
  std::string target;  // origin-form, e.g. "/services/v2/Programs"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Non-idempotent requests always get a fresh connection: a pooled connection the
  // server has just closed would make the outcome of a write unknowable.
  bool idempotent = true;
  std::chrono::milliseconds timeout{30000};
};

struct upstream_result {
  upstream_failure failure = upstream_failure::none;
  bool may_have_been_sent = false;   // true once any request byte was written
  http::response<http::string_body> response;
  std::string detail;                // safe to log: no headers, no bodies
};

// One streamed exchange (attachments) on its own fresh connection: the request body is
// written piece by piece, the answer read head first, then piece by piece. Each step has
// its own inactivity deadline, so a large file is not cut off by the per-call timeout.
class upstream_stream {
 public:
  virtual ~upstream_stream() = default;
  // `content_length` nullopt: chunked body; 0 with no body to follow: a plain request.
  virtual awaitable<bool> write_head(http::request_header<> head, std::optional<std::uint64_t> content_length) = 0;
  virtual awaitable<bool> write_body(std::span<const char> data) = 0;
  virtual awaitable<bool> finish_body() = 0;
  virtual awaitable<std::optional<http::response_header<>>> read_head() = 0;
  // The next piece of the answer body; 0 = done; nullopt = failed.
  virtual awaitable<std::optional<std::size_t>> read_body(std::span<char> into) = 0;
  // Answer body length when the upstream declared one.
  virtual std::optional<std::uint64_t> content_length() const = 0;
  bool timed_out = false;
  bool bad_status = false;  // read_head failed on a status pcbridge does not pass on
  std::string detail;  // what failed, safe to log
};

class upstream_client {
 public:
  upstream_client(asio::any_io_executor executor, std::string ca_file, std::size_t max_response_bytes);
  ~upstream_client();

  awaitable<upstream_result> send(const endpoint& to, upstream_request request);

  // A fresh connection for a streamed exchange; null with `detail` set when it cannot be
  // opened (nothing was sent). `step_timeout` bounds each read or write.
  awaitable<std::unique_ptr<upstream_stream>> open_stream(const endpoint& to, std::chrono::milliseconds step_timeout,
                                                          std::string& detail);

  // Idle connections kept per endpoint. Below the number of requests usually in flight, every
  // answer beyond it closes its connection and a later request pays a new connect (it was 16:
  // with 32 clients half the exchanges connected anew); 64 as nginx's usual `keepalive 64`.
  static constexpr std::size_t max_idle_per_endpoint = 64;

  // Read-buffer capacity of a connection: Beast reads at most the free capacity of a
  // flat_buffer (at least 512 bytes), so an unsized buffer takes a typical 6 KB answer in a
  // dozen 512-byte reads. An answer whose Content-Length is known gets room for all of it,
  // up to Beast's 64 KiB per read.
  static constexpr std::size_t initial_read_capacity = 16 * 1024;

  struct connection;
  struct connection_handle;  // keeps a streamed exchange's connection alive

 private:
  // A pooled connection still fit to carry a request, or null.
  std::unique_ptr<connection> take_idle(const std::string& key);
  void park(const std::string& key, std::unique_ptr<connection> conn);
  awaitable<std::unique_ptr<connection>> connect(const endpoint& to, std::chrono::steady_clock::time_point deadline,
                                                 std::string& detail);

  asio::any_io_executor executor_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::size_t max_response_bytes_;
  std::map<std::string, std::vector<std::unique_ptr<connection>>> idle_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // idle watches outliving this client do nothing
};

}  // namespace pcbridge::proxy
