#pragma once
// One line per request (text or JSON) on stderr, plus start-up/warning lines.
// Holds no secrets by construction: callers pass only the fields below.
//
// Access lines are buffered, so a busy proxy does not pay a write(2) per request. They are
// written: by the flush the owner schedules when the first line enters an empty buffer
// (on_pending; the gateway posts it to its io_context, so it runs once the requests finishing in
// the same event-loop round have queued theirs: one write for all of them, the line out within
// that round); when the buffer reaches flush_bytes; before any other log line (lines keep their
// order); by flush() (the gateway calls it when it stops); and when the logger is destroyed.
// A request that fails still gets its line: it is queued when the answer is decided, whatever
// it is. Only a crash of the whole process can lose lines, those of its last loop round.
// `log.access` turns access lines on or off independently of `log.level`.
// Threading: a mutex guards the buffer, so a stray call from another thread is safe; the proxy
// calls it from its one io_context thread.
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace pcbridge::proxy {

struct access_record {
  std::string request_id;
  std::string http_method;     // GET
  std::string path;            // V1 path without the query
  std::string v1_method;       // GetProjects, or "-" when no route matched
  std::string user;            // Basic user name once authenticated, else "-"
  int status = 0;              // what the client got
  int upstream_status = 0;     // last upstream answer, 0 when none
  int upstream_calls = 0;      // API operations made for this request
  std::chrono::milliseconds duration{0};
  std::string client;          // peer address "127.0.0.1:50312", or "-" when unknown
  std::size_t bytes_in = 0;    // request body bytes read
  std::size_t bytes_out = 0;   // answer body bytes written (as far as known when the line is made)
  std::string user_agent;      // the client's User-Agent, "-" when absent
  std::string note;            // short reason for pcbridge's own errors, e.g. "bad_credentials"
};

// A field of the text format: as is when it is non-empty printable ASCII without spaces,
// quotes, backslashes or '='; else quoted, with \" \\ \n \r \t and \xHH escapes. A client-chosen
// value (user name, path) can then never end the line or fake another field.
std::string log_field(std::string_view value);
void append_log_field(std::string& out, std::string_view value);  // log_field, appended to `out`
// The text-format access line (without the newline), `timestamp` first.
std::string access_text_line(const access_record& r, std::string_view timestamp);
void append_access_text_line(std::string& out, const access_record& r, std::string_view timestamp);

class logger {
 public:
  static constexpr std::size_t flush_bytes = 64 * 1024;

  // `fd` is where lines go (stderr; a test passes a file).
  explicit logger(config::log_config cfg, int fd = 2) : cfg_(cfg), fd_(fd) {}
  ~logger();
  logger(const logger&) = delete;
  logger& operator=(const logger&) = delete;

  void reconfigure(config::log_config cfg);
  // `schedule_flush` is called when a line enters an empty buffer; it must arrange for
  // flush() to run soon (not call it at once: batching is the point). None set: lines wait
  // for flush_bytes, another log line, flush() or destruction.
  void on_pending(std::function<void()> schedule_flush) { schedule_flush_ = std::move(schedule_flush); }
  const config::log_config& settings() const { return cfg_; }
  void access(const access_record& r) const;
  void info(std::string_view message) const;
  void warn(std::string_view message) const;
  void error(std::string_view message) const;
  void debug(std::string_view message) const;
  // Callers test this before building a debug message, so debug costs nothing when off.
  bool debug_enabled() const { return cfg_.level == config::log_config::level_kind::debug; }
  // Writes every queued access line now.
  void flush() const;
  std::size_t pending_bytes() const;

 private:
  void line(config::log_config::level_kind level, std::string_view message) const;
  void write_locked(std::string_view text) const;  // mutex_ held
  config::log_config cfg_;
  int fd_;
  mutable std::mutex mutex_;
  mutable std::string pending_;
  std::function<void()> schedule_flush_;
};

}  // namespace pcbridge::proxy
