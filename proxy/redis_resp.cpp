// The pure half of the Redis client (redis_client.hpp): the redis:// URL, RESP encoding and
// the bounded reply parser. No socket here; redis_client.cpp does the I/O.
#include "proxy/redis_client.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pcbridge::proxy {

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

}  // namespace pcbridge::proxy
