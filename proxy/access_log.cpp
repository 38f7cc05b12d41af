#include "proxy/access_log.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace pcbridge::proxy {

namespace {

// Formats now as 2026-12-02T05:53:46.123Z. The date and time to the second are formatted
// once per second (per thread), not for every access line.
std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  thread_local std::time_t cached_second = -1;
  thread_local char seconds[24];
  if (t != cached_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(seconds, sizeof seconds, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = t;
  }
  std::string out(seconds);
  const int m = static_cast<int>(ms);
  out += '.';
  out += static_cast<char>('0' + m / 100);
  out += static_cast<char>('0' + m / 10 % 10);
  out += static_cast<char>('0' + m % 10);
  out += 'Z';
  return out;
}

const char* level_name(config::log_config::level_kind level) {
  switch (level) {
    case config::log_config::level_kind::debug: return "debug";
    case config::log_config::level_kind::info: return "info";
    case config::log_config::level_kind::warn: return "warn";
    case config::log_config::level_kind::error: return "error";
  }
  return "info";
}

std::string_view or_dash(std::string_view s) { return s.empty() ? std::string_view("-") : s; }

}  // namespace

void append_log_field(std::string& out, std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  bool plain = !value.empty();
  for (unsigned char c : value)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '=') plain = false;
  if (plain) {
    out += value;
    return;
  }
  out += '"';
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

std::string log_field(std::string_view value) {
  std::string out;
  append_log_field(out, value);
  return out;
}

std::string log_message(std::string_view message) {
  // Free text keeps its spaces and quotes, but never starts a new line.
  std::string out;
  for (unsigned char c : message) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 && c != '\t') out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 0xF];
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

namespace {

void append_field(std::string& out, std::string_view label, std::string_view value) {
  out += label;
  append_log_field(out, value);
}

void append_number_field(std::string& out, std::string_view label, long long n) {
  out += label;
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

}  // namespace

void append_access_text_line(std::string& text, const access_record& r, std::string_view timestamp) {
  // Appended piece by piece into one string: this runs for every request.
  text += timestamp;
  append_field(text, " access rid=", r.request_id);
  append_field(text, " ", r.http_method);
  append_field(text, " ", r.path);
  append_field(text, " v1_method=", r.v1_method);
  append_field(text, " user=", r.user);
  append_number_field(text, " status=", r.status);
  append_number_field(text, " upstream_status=", r.upstream_status);
  append_number_field(text, " upstream_calls=", r.upstream_calls);
  append_number_field(text, " duration_ms=", r.duration.count());
  append_field(text, " client=", or_dash(r.client));
  append_number_field(text, " bytes_in=", static_cast<long long>(r.bytes_in));
  append_number_field(text, " bytes_out=", static_cast<long long>(r.bytes_out));
  append_field(text, " ua=", or_dash(r.user_agent));
  if (!r.note.empty()) append_field(text, " note=", r.note);
}

std::string access_text_line(const access_record& r, std::string_view timestamp) {
  std::string text;
  append_access_text_line(text, r, timestamp);
  return text;
}

logger::~logger() { flush(); }

void logger::reconfigure(config::log_config cfg) {
  flush();
  cfg_ = cfg;
}

void logger::write_locked(std::string_view text) const {
  // write(2) directly: stdio would add its own buffer and flush per line. Short writes
  // (a pipe that is nearly full) are resumed; other errors drop the text, as stderr would.
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void logger::flush() const {
  const std::lock_guard lock(mutex_);
  write_locked(pending_);
  pending_.clear();
}

std::size_t logger::pending_bytes() const {
  const std::lock_guard lock(mutex_);
  return pending_.size();
}

void logger::access(const access_record& r) const {
  if (!cfg_.access) return;
  std::string json_text;
  if (cfg_.format == config::log_config::format_kind::json) {
    nlohmann::json j = {{"ts", utc_now()},         {"level", "info"},          {"event", "access"},
                        {"request_id", r.request_id}, {"method", r.http_method}, {"path", r.path},
                        {"v1_method", r.v1_method},   {"user", r.user},          {"status", r.status},
                        {"upstream_status", r.upstream_status}, {"upstream_calls", r.upstream_calls},
                        {"duration_ms", r.duration.count()}, {"client", or_dash(r.client)},
                        {"bytes_in", r.bytes_in},     {"bytes_out", r.bytes_out}, {"user_agent", or_dash(r.user_agent)}};
    if (!r.note.empty()) j["note"] = r.note;
    json_text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  bool first = false;
  {
    const std::lock_guard lock(mutex_);
    first = pending_.empty();
    // The text line is written straight into the buffer of lines waiting to be written.
    if (json_text.empty()) append_access_text_line(pending_, r, utc_now());
    else pending_ += json_text;
    pending_.push_back('\n');
    if (pending_.size() >= flush_bytes) {
      write_locked(pending_);
      pending_.clear();
      first = false;
    }
  }
  if (first && schedule_flush_) schedule_flush_();
}

void logger::line(config::log_config::level_kind level, std::string_view message) const {
  if (level < cfg_.level) return;
  std::string text;
  if (cfg_.format == config::log_config::format_kind::json) {
    nlohmann::json j = {{"ts", utc_now()}, {"level", level_name(level)}, {"message", message}};
    text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    text = utc_now() + " " + level_name(level) + " " + log_message(message);
  }
  text.push_back('\n');
  // Queued access lines first, then this one, in one write: lines stay in order.
  const std::lock_guard lock(mutex_);
  pending_ += text;
  write_locked(pending_);
  pending_.clear();
}

void logger::info(std::string_view m) const { line(config::log_config::level_kind::info, m); }
void logger::warn(std::string_view m) const { line(config::log_config::level_kind::warn, m); }
void logger::error(std::string_view m) const { line(config::log_config::level_kind::error, m); }
void logger::debug(std::string_view m) const { line(config::log_config::level_kind::debug, m); }

}  // namespace pcbridge::proxy
