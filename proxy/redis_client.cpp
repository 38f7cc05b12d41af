#include "proxy/redis_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pcbridge::proxy {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

// ---- URL ----

namespace {

bool parse_int(std::string_view text, long long& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<redis_url> redis_url::parse(std::string_view url, std::string& error) {
  // Error messages name the part that is wrong, never the URL itself: it may hold a password.
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    error = "not a URL (expected redis://[:password@]host[:port][/db])";
    return std::nullopt;
  }
  const std::string scheme = lower(parsed->scheme());
  if (scheme == "rediss") {
    error = "rediss:// (TLS) is not supported; use redis://";
    return std::nullopt;
  }
  if (scheme != "redis") {
    error = "scheme must be redis://";
    return std::nullopt;
  }
  if (parsed->has_query() || parsed->has_fragment()) {
    error = "query and fragment are not supported (the database goes in the path: redis://host:6379/2)";
    return std::nullopt;
  }
  redis_url out;
  out.host = parsed->host_address();
  if (out.host.empty()) {
    error = "host is missing";
    return std::nullopt;
  }
  if (parsed->has_port()) {
    long long port = 0;
    if (!parse_int(parsed->port(), port) || port < 1 || port > 65535) {
      error = "port must be a number from 1 to 65535";
      return std::nullopt;
    }
    out.port = std::to_string(port);
  }
  if (parsed->has_userinfo()) {
    out.username = parsed->user();
    if (parsed->has_password()) out.password = parsed->password();
    if (out.password.empty() && !out.username.empty()) {
      error = "a user name needs a password (write redis://:password@host or redis://user:password@host)";
      return std::nullopt;
    }
  }
  std::string_view path = parsed->encoded_path();
  if (!path.empty() && path != "/") {
    long long db = 0;
    if (!parse_int(path.substr(1), db) || db < 0 || db > 1'000'000) {
      error = "the path must be a database number, e.g. /0";
      return std::nullopt;
    }
    out.db = static_cast<int>(db);
  }
  return out;
}

std::string redis_url::redacted() const {
  std::string out = "redis://";
  if (!password.empty()) out += username + ":***@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ":" + port + "/" + std::to_string(db);
  return out;
}

// ---- RESP2 ----

std::string redis_encode(std::span<const std::string> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

namespace {

// Longest header line (type byte to CRLF) accepted while waiting for its CRLF; simple
// strings and errors are short, everything long travels as a bulk string.
constexpr std::size_t max_line = 64 * 1024;

class reply_parser {
 public:
  reply_parser(std::string_view buffer, const redis_limits& limits) : buf_(buffer), limits_(limits) {}

  redis_parse_status value(redis_value& out, int depth) {
    if (pos_ >= buf_.size()) return redis_parse_status::incomplete;
    const char type = buf_[pos_];
    std::string_view header;
    if (auto s = line(header); s != redis_parse_status::complete) return s;
    header.remove_prefix(1);
    switch (type) {
      case '+':
        out.type = redis_value::kind::simple_string;
        out.text = header;
        return done();
      case '-':
        out.type = redis_value::kind::error;
        out.text = header;
        return done();
      case ':':
        out.type = redis_value::kind::integer;
        if (!parse_int(header, out.integer)) return fail("bad integer");
        return done();
      case '$': return bulk(header, out);
      case '*': return array(header, out, depth);
      default: return fail("unexpected type byte");
    }
  }

  std::size_t position() const { return pos_; }
  const std::string& error() const { return error_; }

 private:
  // The line at pos_ without its CRLF; pos_ moves past it.
  redis_parse_status line(std::string_view& out) {
    const auto end = buf_.find("\r\n", pos_);
    if (end == std::string_view::npos) {
      return buf_.size() - pos_ > max_line ? fail("line too long") : redis_parse_status::incomplete;
    }
    out = buf_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return redis_parse_status::complete;
  }

  redis_parse_status bulk(std::string_view header, redis_value& out) {
    long long len = 0;
    if (!parse_int(header, len) || len < -1) return fail("bad bulk length");
    if (len == -1) {
      out.type = redis_value::kind::null;
      return done();
    }
    if (static_cast<unsigned long long>(len) > limits_.max_reply_bytes) return fail("reply too large");
    const auto n = static_cast<std::size_t>(len);
    if (buf_.size() - pos_ < n + 2) return redis_parse_status::incomplete;
    if (buf_[pos_ + n] != '\r' || buf_[pos_ + n + 1] != '\n') return fail("bulk string not followed by CRLF");
    out.type = redis_value::kind::bulk_string;
    out.text = buf_.substr(pos_, n);
    pos_ += n + 2;
    return done();
  }

  redis_parse_status array(std::string_view header, redis_value& out, int depth) {
    long long count = 0;
    if (!parse_int(header, count) || count < -1) return fail("bad array length");
    if (count == -1) {
      out.type = redis_value::kind::null;
      return done();
    }
    if (depth + 1 > limits_.max_depth) return fail("arrays nested too deep");
    // Each element takes at least 3 bytes ("+\r\n"): a larger count cannot fit the limit.
    if (static_cast<unsigned long long>(count) > limits_.max_reply_bytes / 3) return fail("reply too large");
    out.type = redis_value::kind::array;
    out.elements.reserve(static_cast<std::size_t>(std::min<long long>(count, 64)));
    for (long long i = 0; i < count; ++i) {
      redis_value element;
      if (auto s = value(element, depth + 1); s != redis_parse_status::complete) return s;
      out.elements.push_back(std::move(element));
    }
    return done();
  }

  redis_parse_status done() {
    return pos_ > limits_.max_reply_bytes ? fail("reply too large") : redis_parse_status::complete;
  }

  redis_parse_status fail(const char* why) {
    error_ = why;
    return redis_parse_status::protocol_error;
  }

  std::string_view buf_;
  const redis_limits& limits_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

redis_parse_result parse_redis_reply(std::string_view buffer, const redis_limits& limits) {
  redis_parse_result result;
  reply_parser parser(buffer, limits);
  result.status = parser.value(result.value, 0);
  if (result.status == redis_parse_status::complete) {
    result.consumed = parser.position();
  } else if (result.status == redis_parse_status::protocol_error) {
    result.error = parser.error();
    result.value = {};
  } else {
    result.value = {};
    if (buffer.size() > limits.max_reply_bytes) {
      result.status = redis_parse_status::protocol_error;
      result.error = "reply too large";
    }
  }
  return result;
}

std::string_view to_string(redis_failure f) {
  switch (f) {
    case redis_failure::none: return "none";
    case redis_failure::connect: return "connect";
    case redis_failure::auth: return "auth";
    case redis_failure::timeout: return "timeout";
    case redis_failure::broken: return "broken";
    case redis_failure::protocol: return "protocol";
  }
  return "unknown";
}

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
