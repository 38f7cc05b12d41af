#include "proxy/redis_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>

namespace pcbridge::proxy {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

// ---- Client ----

struct redis_client::connection {
  explicit connection(asio::any_io_executor ex) : stream(std::move(ex)) {}
  beast::tcp_stream stream;
  std::string input;  // bytes read but not yet parsed into a reply
};

// A command waiting for the connection: its timer expires at the command's deadline
// and is cancelled when the command before it hands the connection over.
struct redis_client::turn {
  explicit turn(asio::any_io_executor ex) : timer(std::move(ex)) {}
  asio::steady_timer timer;
  bool granted = false;
};

namespace {

redis_reply failed(redis_failure f, std::string detail) {
  redis_reply r;
  r.failure = f;
  r.detail = std::move(detail);
  return r;
}

redis_failure classify(const boost::system::error_code& ec) {
  return ec == beast::error::timeout ? redis_failure::timeout : redis_failure::broken;
}

}  // namespace

redis_client::redis_client(asio::any_io_executor executor, redis_url url, std::chrono::milliseconds timeout,
                           redis_limits limits)
    : executor_(std::move(executor)), url_(std::move(url)), timeout_(timeout), limits_(limits) {}

redis_client::~redis_client() = default;

awaitable<bool> redis_client::acquire(clock_type::time_point deadline) {
  if (!busy_) {
    busy_ = true;
    co_return true;
  }
  auto t = std::make_shared<turn>(executor_);
  t->timer.expires_at(deadline);
  waiting_.push_back(t);
  co_await t->timer.async_wait(use_tuple);
  if (t->granted) co_return true;
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), t), waiting_.end());
  co_return false;
}

void redis_client::release() {
  if (waiting_.empty()) {
    busy_ = false;
    return;
  }
  auto next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;  // busy_ stays true: the connection passes straight to `next`
  next->timer.cancel();
}

awaitable<redis_reply> redis_client::command(std::vector<std::string> args) {
  const auto deadline = clock_type::now() + timeout_;
  const bool acquired = co_await acquire(deadline);
  if (!acquired) co_return failed(redis_failure::timeout, "timed out waiting for the connection");
  redis_reply reply = co_await run(args, deadline);
  release();
  co_return reply;
}

awaitable<redis_reply> redis_client::run(const std::vector<std::string>& args, clock_type::time_point deadline) {
  const std::string request = redis_encode(args);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = conn_ != nullptr;
    if (!conn_) {
      redis_reply opened = co_await open(deadline);
      if (opened.failure != redis_failure::none) co_return opened;
    }
    bool received_any = false;
    redis_reply reply = co_await exchange(request, deadline, received_any);
    if (reply.failure == redis_failure::none) co_return reply;
    conn_.reset();
    // An idle connection the server closed fails before answering a byte: try a fresh one.
    if (reused && attempt == 0 && reply.failure == redis_failure::broken && !received_any) continue;
    co_return reply;
  }
  co_return failed(redis_failure::broken, "connection closed twice");
}

awaitable<redis_reply> redis_client::open(clock_type::time_point deadline) {
  const std::string where = url_.redacted();
  // The resolver cannot be interrupted, so wait for it on a timer that its handler
  // cancels: at the deadline the command gives up and the lookup finishes on its own.
  struct lookup {
    explicit lookup(const asio::any_io_executor& ex) : resolver(ex), timer(ex) {}
    tcp::resolver resolver;
    asio::steady_timer timer;
    boost::system::error_code ec;
    tcp::resolver::results_type results;
    bool done = false;
  };
  auto dns = std::make_shared<lookup>(executor_);
  dns->timer.expires_at(deadline);
  dns->resolver.async_resolve(url_.host, url_.port,
                              [dns](const boost::system::error_code& ec, tcp::resolver::results_type results) {
                                dns->ec = ec;
                                dns->results = std::move(results);
                                dns->done = true;
                                dns->timer.cancel();
                              });
  co_await dns->timer.async_wait(use_tuple);
  if (!dns->done) {
    dns->resolver.cancel();
    co_return failed(redis_failure::timeout, "resolving " + url_.host + " for " + where + ": timed out");
  }
  if (dns->ec) {
    co_return failed(redis_failure::connect, "resolving " + url_.host + " for " + where + ": " + dns->ec.message());
  }

  auto conn = std::make_unique<connection>(executor_);
  conn->stream.expires_at(deadline);
  auto [cec, ep] = co_await conn->stream.async_connect(dns->results, use_tuple);
  if (cec) {
    co_return failed(cec == beast::error::timeout ? redis_failure::timeout : redis_failure::connect,
                     "connecting to " + where + ": " + cec.message());
  }
  boost::system::error_code ignored;
  conn->stream.socket().set_option(tcp::no_delay(true), ignored);
  conn_ = std::move(conn);

  // AUTH before anything else, then SELECT: a refusal is reported, never the password.
  if (!url_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url_.username.empty()) auth.push_back(url_.username);
    auth.push_back(url_.password);
    redis_reply r = co_await setup_step(auth, "AUTH", deadline);
    if (r.failure != redis_failure::none) {
      conn_.reset();
      co_return r;
    }
  }
  if (url_.db != 0) {
    std::vector<std::string> select{"SELECT", std::to_string(url_.db)};
    redis_reply r = co_await setup_step(select, "SELECT", deadline);
    if (r.failure != redis_failure::none) {
      conn_.reset();
      co_return r;
    }
  }
  ++connects_;
  co_return redis_reply{};
}

awaitable<redis_reply> redis_client::setup_step(const std::vector<std::string>& args, std::string_view what,
                                                clock_type::time_point deadline) {
  bool received_any = false;
  const std::string request = redis_encode(args);
  redis_reply r = co_await exchange(request, deadline, received_any);
  if (r.failure != redis_failure::none) {
    r.detail = std::string(what) + " on " + url_.redacted() + ": " + r.detail;
  } else if (r.value.is_error()) {
    r = failed(redis_failure::auth, std::string(what) + " refused by " + url_.redacted() + ": " + r.value.text);
  }
  co_return r;
}

awaitable<redis_reply> redis_client::exchange(const std::string& request, clock_type::time_point deadline,
                                              bool& received_any) {
  received_any = false;
  connection& c = *conn_;
  if (!c.input.empty()) co_return failed(redis_failure::protocol, "unexpected bytes from the server before a command");
  c.stream.expires_at(deadline);
  auto [wec, written] = co_await asio::async_write(c.stream, asio::buffer(request), use_tuple);
  if (wec) co_return failed(classify(wec), "sending command: " + wec.message());
  for (;;) {
    redis_parse_result parsed = parse_redis_reply(c.input, limits_);
    if (parsed.status == redis_parse_status::complete) {
      c.input.erase(0, parsed.consumed);
      c.stream.expires_never();
      redis_reply reply;
      reply.value = std::move(parsed.value);
      co_return reply;
    }
    if (parsed.status == redis_parse_status::protocol_error) {
      co_return failed(redis_failure::protocol, "bad reply: " + parsed.error);
    }
    char chunk[4096];
    auto [rec, got] = co_await c.stream.async_read_some(asio::buffer(chunk), use_tuple);
    if (got > 0) {
      received_any = true;
      c.input.append(chunk, got);
    }
    if (rec) {
      const std::string why = rec == asio::error::eof ? "connection closed by the server" : rec.message();
      co_return failed(classify(rec), "reading reply: " + why);
    }
  }
}

}  // namespace pcbridge::proxy
