// /admin/usage as JSON and CSV, and the JSON read back (the state file).
#include <nlohmann/json.hpp>

#include "proxy/usage_data.hpp"

namespace pcbridge::proxy {

namespace {

using ordered = nlohmann::ordered_json;

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Names as JSON prints them: invalid UTF-8 replaced, so the CSV and JSON agree.
std::string clean(const std::string& name) {
  std::string dumped = nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::json::parse(dumped).get<std::string>();
}

}  // namespace

std::string render_usage_json(const usage_data& data) {
  ordered clients = ordered::array();
  const std::string* current = nullptr;
  for (const auto& [key, u] : data.pairs) {
    if (current == nullptr || *current != key.user) {
      clients.push_back({{"user", key.user}, {"methods", ordered::array()}});
      current = &key.user;
    }
    ordered daily = ordered::object();
    for (const auto& [day, n] : u.daily)
      if (n > 0) daily[iso_date(day)] = n;
    clients.back()["methods"].push_back({{"method", key.method},
                                         {"count", u.calls},
                                         {"errors", u.errors_4xx + u.errors_5xx},
                                         {"errors_4xx", u.errors_4xx},
                                         {"errors_5xx", u.errors_5xx},
                                         {"first_seen", iso_time(u.first_seen)},
                                         {"last_seen", iso_time(u.last_seen)},
                                         {"daily", std::move(daily)}});
  }
  ordered doc;
  doc["retention_days"] = usage_retention_days;
  doc["clients"] = std::move(clients);
  return doc.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

std::string render_usage_csv(const usage_data& data) {
  std::string out = "user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen\r\n";
  for (const auto& [key, u] : data.pairs) {
    out += csv_field(clean(key.user)) + "," + csv_field(clean(key.method)) + "," + std::to_string(u.calls) + "," +
           std::to_string(u.errors_4xx + u.errors_5xx) + "," + std::to_string(u.errors_4xx) + "," +
           std::to_string(u.errors_5xx) + "," + iso_time(u.first_seen) + "," + iso_time(u.last_seen) + "\r\n";
  }
  return out;
}

std::optional<usage_data> parse_usage_json(std::string_view text, std::string& error) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    error = "not JSON";
    return std::nullopt;
  }
  auto fail = [&](std::string why) -> std::optional<usage_data> {
    error = std::move(why);
    return std::nullopt;
  };
  if (!doc.is_object() || !doc.contains("clients") || !doc["clients"].is_array()) return fail("no \"clients\" list");
  usage_data out;
  for (const auto& client : doc["clients"]) {
    if (!client.is_object() || !client.contains("user") || !client["user"].is_string() || !client.contains("methods") ||
        !client["methods"].is_array())
      return fail("a client without \"user\" and \"methods\"");
    const std::string user = client["user"].get<std::string>();
    for (const auto& m : client["methods"]) {
      if (!m.is_object()) return fail("a method entry that is not an object");
      auto count = [&](const char* name) -> std::optional<std::uint64_t> {
        if (!m.contains(name) || !m[name].is_number_unsigned()) return std::nullopt;
        return m[name].get<std::uint64_t>();
      };
      auto when = [&](const char* name) -> std::optional<std::chrono::sys_seconds> {
        if (!m.contains(name) || !m[name].is_string()) return std::nullopt;
        return parse_iso_time(m[name].get<std::string>());
      };
      auto calls = count("count");
      auto e4 = count("errors_4xx");
      auto e5 = count("errors_5xx");
      auto first = when("first_seen");
      auto last = when("last_seen");
      if (!m.contains("method") || !m["method"].is_string() || !calls || !e4 || !e5 || !first || !last)
        return fail("user \"" + user + "\": a method entry with missing or malformed fields");
      pair_usage u;
      u.calls = *calls;
      u.errors_4xx = *e4;
      u.errors_5xx = *e5;
      u.first_seen = *first;
      u.last_seen = *last;
      if (m.contains("daily")) {
        if (!m["daily"].is_object()) return fail("\"daily\" is not an object");
        for (const auto& [date, n] : m["daily"].items()) {
          auto day = parse_iso_date(date);
          if (!day || !n.is_number_unsigned()) return fail("a malformed \"daily\" entry");
          u.daily[*day] = n.get<std::uint64_t>();
        }
      }
      out.pairs[usage_key{user, m["method"].get<std::string>()}] = std::move(u);
    }
  }
  return out;
}

}  // namespace pcbridge::proxy
