#include "proxy/access_log.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

namespace pcbridge::proxy {

namespace {

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
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

std::string or_dash(std::string_view s) { return s.empty() ? std::string("-") : std::string(s); }

}  // namespace

std::string log_field(std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  bool plain = !value.empty();
  for (unsigned char c : value)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '=') plain = false;
  if (plain) return std::string(value);
  std::string out = "\"";
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

std::string access_text_line(const access_record& r, std::string_view timestamp) {
  std::string text = std::string(timestamp) + " access rid=" + log_field(r.request_id) + " " +
                     log_field(r.http_method) + " " + log_field(r.path) + " v1_method=" + log_field(r.v1_method) +
                     " user=" + log_field(r.user) + " status=" + std::to_string(r.status) +
                     " upstream_status=" + std::to_string(r.upstream_status) +
                     " upstream_calls=" + std::to_string(r.upstream_calls) +
                     " duration_ms=" + std::to_string(r.duration.count()) + " client=" + log_field(or_dash(r.client)) +
                     " bytes_in=" + std::to_string(r.bytes_in) + " bytes_out=" + std::to_string(r.bytes_out) +
                     " ua=" + log_field(or_dash(r.user_agent));
  if (!r.note.empty()) text += " note=" + log_field(r.note);
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
  std::string text;
  if (cfg_.format == config::log_config::format_kind::json) {
    nlohmann::json j = {{"ts", utc_now()},         {"level", "info"},          {"event", "access"},
                        {"request_id", r.request_id}, {"method", r.http_method}, {"path", r.path},
                        {"v1_method", r.v1_method},   {"user", r.user},          {"status", r.status},
                        {"upstream_status", r.upstream_status}, {"upstream_calls", r.upstream_calls},
                        {"duration_ms", r.duration.count()}, {"client", or_dash(r.client)},
                        {"bytes_in", r.bytes_in},     {"bytes_out", r.bytes_out}, {"user_agent", or_dash(r.user_agent)}};
    if (!r.note.empty()) j["note"] = r.note;
    text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    text = access_text_line(r, utc_now());
  }
  text.push_back('\n');
  bool first = false;
  {
    const std::lock_guard lock(mutex_);
    first = pending_.empty();
    pending_ += text;
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
