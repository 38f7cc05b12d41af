#include "proxy/access_log.hpp"

#include <nlohmann/json.hpp>

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

void write_line(const std::string& text) {
  // One fwrite per line keeps lines whole when several processes share stderr.
  std::string out = text + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void logger::access(const access_record& r) const {
  if (cfg_.level > config::log_config::level_kind::info) return;
  if (cfg_.format == config::log_config::format_kind::json) {
    nlohmann::json j = {{"ts", utc_now()},         {"level", "info"},          {"event", "access"},
                        {"request_id", r.request_id}, {"method", r.http_method}, {"path", r.path},
                        {"v1_method", r.v1_method},   {"user", r.user},          {"status", r.status},
                        {"upstream_status", r.upstream_status}, {"upstream_calls", r.upstream_calls},
                        {"duration_ms", r.duration.count()}};
    if (!r.note.empty()) j["note"] = r.note;
    write_line(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  std::string text = utc_now() + " access rid=" + r.request_id + " " + r.http_method + " " + r.path +
                     " v1_method=" + r.v1_method + " user=" + r.user + " status=" + std::to_string(r.status) +
                     " upstream_status=" + std::to_string(r.upstream_status) +
                     " upstream_calls=" + std::to_string(r.upstream_calls) +
                     " duration_ms=" + std::to_string(r.duration.count());
  if (!r.note.empty()) text += " note=" + r.note;
  write_line(text);
}

void logger::line(config::log_config::level_kind level, std::string_view message) const {
  if (level < cfg_.level) return;
  if (cfg_.format == config::log_config::format_kind::json) {
    nlohmann::json j = {{"ts", utc_now()}, {"level", level_name(level)}, {"message", message}};
    write_line(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  write_line(utc_now() + " " + level_name(level) + " " + std::string(message));
}

void logger::info(std::string_view m) const { line(config::log_config::level_kind::info, m); }
void logger::warn(std::string_view m) const { line(config::log_config::level_kind::warn, m); }
void logger::error(std::string_view m) const { line(config::log_config::level_kind::error, m); }
void logger::debug(std::string_view m) const { line(config::log_config::level_kind::debug, m); }

}  // namespace pcbridge::proxy
