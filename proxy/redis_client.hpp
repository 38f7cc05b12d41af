#pragma once
// A minimal asynchronous Redis client over Asio (no hiredis): RESP2 encoding of commands
// as arrays of bulk strings, an incremental reply parser, one TCP connection that is
// opened on first use (AUTH and SELECT on connect) and reopened after any failure.
// Commands are answered in call order, one on the wire at a time; every command has
// its own deadline (queueing, connecting and the exchange included). Errors come back
// as values. Runs on the proxy's one io_context thread; the client must outlive the
// commands it runs.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/coro.hpp"

namespace pcbridge::proxy {

// ---- Pure part: URL, RESP encoding and parsing (no I/O) ----

// redis://[[user]:password@]host[:port][/db]. The password is percent-decoded.
struct redis_url {
  std::string host;      // name or bare IP literal (IPv6 without brackets)
  std::string port = "6379";
  int db = 0;
  std::string username;  // empty: AUTH with the password alone (the "default" user)
  std::string password;  // secret: never logged; see redacted()

  // nullopt and a reason (without the password) for anything else.
  static std::optional<redis_url> parse(std::string_view url, std::string& error);
  // The URL with the password replaced by "***": safe for logs.
  std::string redacted() const;
};

struct redis_value {
  enum class kind { simple_string, error, integer, bulk_string, null, array };
  kind type = kind::null;
  std::string text;                 // simple_string, error, bulk_string
  long long integer = 0;            // integer
  std::vector<redis_value> elements;  // array (may nest)

  bool is_error() const { return type == kind::error; }
  bool is_null() const { return type == kind::null; }
};

// A command as RESP2: "*<n>\r\n" then "$<len>\r\n<bytes>\r\n" per argument (binary-safe).
std::string redis_encode(std::span<const std::string> args);

struct redis_limits {
  std::size_t max_reply_bytes = 16 * 1024 * 1024;  // one reply, all of it
  int max_depth = 16;                               // nested arrays
};

enum class redis_parse_status { complete, incomplete, protocol_error };

struct redis_parse_result {
  redis_parse_status status = redis_parse_status::incomplete;
  redis_value value;          // when complete
  std::size_t consumed = 0;   // bytes of `buffer` the reply took, when complete
  std::string error;          // when protocol_error
};

// Parses the first reply at the start of `buffer`. `incomplete`: feed more bytes and call
// again with the whole buffer. Later replies (pipelining) start at `consumed`.
redis_parse_result parse_redis_reply(std::string_view buffer, const redis_limits& limits = {});

// ---- The client ----

enum class redis_failure {
  none,
  connect,   // resolve/connect failed: the command was not sent
  auth,      // AUTH or SELECT refused on connect
  timeout,   // the command's deadline passed (queued, connecting or waiting for the reply)
  broken,    // the connection failed during the exchange
  protocol,  // the server sent something that is not RESP2 (or above the limits)
};

std::string_view to_string(redis_failure f);

struct redis_reply {
  redis_failure failure = redis_failure::none;
  redis_value value;   // when failure == none; may be an error reply ("-ERR ...")
  std::string detail;  // safe to log: never the password nor command arguments
};

class redis_client {
 public:
  redis_client(asio::any_io_executor executor, redis_url url, std::chrono::milliseconds timeout,
               redis_limits limits = {});
  ~redis_client();
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  // Runs one command, e.g. {"SET", "k", "v"}. A command that fails on a reused connection
  // before any reply byte arrives (the server closed it while idle) is sent once more on
  // a fresh connection: a command may thus run twice if the server died right after
  // running it. After any other failure the connection is closed; the next command
  // reconnects.
  awaitable<redis_reply> command(std::vector<std::string> args);

  const redis_url& url() const { return url_; }
  std::uint64_t connects() const { return connects_; }  // successful connections so far

 private:
  struct connection;
  struct turn;
  awaitable<bool> acquire(std::chrono::steady_clock::time_point deadline);
  void release();
  awaitable<redis_reply> run(const std::vector<std::string>& args, std::chrono::steady_clock::time_point deadline);
  awaitable<redis_reply> open(std::chrono::steady_clock::time_point deadline);
  // One command during connection set-up (AUTH, SELECT): an error reply becomes `auth`.
  awaitable<redis_reply> setup_step(const std::vector<std::string>& args, std::string_view what,
                                    std::chrono::steady_clock::time_point deadline);
  awaitable<redis_reply> exchange(const std::string& request, std::chrono::steady_clock::time_point deadline,
                                  bool& received_any);

  asio::any_io_executor executor_;
  redis_url url_;
  std::chrono::milliseconds timeout_;
  redis_limits limits_;
  std::unique_ptr<connection> conn_;
  bool busy_ = false;                         // a command owns the connection
  std::deque<std::shared_ptr<turn>> waiting_;  // commands queued behind it, FIFO
  std::uint64_t connects_ = 0;
};

}  // namespace pcbridge::proxy
