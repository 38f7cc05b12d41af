#include "proxy/usage_report.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace pcbridge::proxy {

namespace {

// 2026-11-27T11:35:00Z (sub-seconds dropped, rounding towards the past).
std::string utc_iso8601(std::chrono::system_clock::time_point tp) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(tp);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

void usage_report::record(std::string_view user, std::string_view v1_method, int status,
                          std::chrono::system_clock::time_point now) {
  if (user.empty()) user = "-";
  if (v1_method.empty()) v1_method = "-";
  auto entry = users_.find(user);
  if (entry == users_.end()) {
    if (users_.size() >= max_users_) user = overflow_user;
    entry = users_.find(user);
    if (entry == users_.end()) entry = users_.emplace(std::string(user), method_map{}).first;
  }
  auto method = entry->second.find(v1_method);
  if (method == entry->second.end()) method = entry->second.emplace(std::string(v1_method), method_usage{}).first;
  method_usage& m = method->second;
  ++m.count;
  if (status >= 400) ++m.errors;
  m.last_seen = now;
}

std::string usage_report::render_json() const {
  nlohmann::ordered_json clients = nlohmann::ordered_json::array();
  for (const auto& [user, methods] : users_) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [method, m] : methods) {
      list.push_back({{"method", method}, {"count", m.count}, {"errors", m.errors}, {"last_seen", utc_iso8601(m.last_seen)}});
    }
    clients.push_back({{"user", user}, {"methods", std::move(list)}});
  }
  nlohmann::ordered_json doc;
  doc["clients"] = std::move(clients);
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace pcbridge::proxy
