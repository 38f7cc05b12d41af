// /admin/status (admin_status.hpp): route modes, quiet methods, quota per key, token health
// and recent upstream errors, rendered from plain inputs so the JSON is unit-tested.
#include "proxy/admin_status.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "proxy/metrics.hpp"
#include "proxy/status_feed.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/usage_report.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {

namespace {

using ordered = nlohmann::ordered_json;
namespace tr = translators;

struct method_totals {
  std::uint64_t calls = 0;
  std::set<std::string> clients;
  std::optional<std::chrono::sys_seconds> last_seen;
};

std::string mode_of(const tr::route& r, const config::config& cfg) {
  if (!r.unavailable.empty()) return "unavailable";
  auto it = cfg.routes.find(std::string(tr::method_name(r.id)));
  if (it != cfg.routes.end() && it->second == config::route_mode::reject) return "reject";
  return "translate";
}

ordered methods_json(const status_inputs& in) {
  std::map<std::string, method_totals> totals;
  for (const auto& [key, u] : in.usage.pairs) {
    method_totals& t = totals[key.method];
    t.calls += u.calls;
    if (u.calls > 0) t.clients.insert(key.user);
    if (u.calls > 0 && (!t.last_seen || u.last_seen > *t.last_seen)) t.last_seen = u.last_seen;
  }
  const std::int32_t today = day_number(in.now);
  ordered out = ordered::array();
  auto row = [&](const std::string& name, const std::string& mode) {
    const method_totals& t = totals[name];
    ordered m = {{"method", name}, {"mode", mode}, {"calls", t.calls}, {"clients", t.clients.size()}};
    if (t.last_seen) {
      const int days = today - day_number(*t.last_seen);
      m["last_seen"] = iso_time(*t.last_seen);
      m["days_since_last_call"] = days;
      m["state"] = days >= in.quiet_after_days ? "quiet" : "in_use";
    } else {
      m["last_seen"] = nullptr;
      m["days_since_last_call"] = nullptr;
      m["state"] = "unused";
    }
    out.push_back(std::move(m));
  };
  std::set<std::string> listed;
  for (const tr::route& r : tr::all_routes()) {
    std::string name(tr::method_name(r.id));
    if (!listed.insert(name).second) continue;
    row(name, mode_of(r, in.cfg));
  }
  for (const auto& [name, t] : totals)
    if (listed.insert(name).second && name != "-" && t.calls > 0) row(name, "-");
  return out;
}

ordered quota_json(const status_inputs& in) {
  const auto& up = in.cfg.upstream;
  std::map<std::string, std::set<std::string>> clients_of;  // fingerprint -> users
  for (const auto& c : in.cfg.clients)
    if (c.api_key) clients_of[api_key_fingerprint(*c.api_key)].insert(c.user);
  if (in.cfg.basic_as_client_credentials.enabled && in.cfg.basic_as_client_credentials.api_key)
    clients_of[api_key_fingerprint(*in.cfg.basic_as_client_credentials.api_key)].insert("(pass-through)");
  auto seen = in.quota.view(in.now);
  for (const auto& [fp, users] : clients_of) seen.try_emplace(fp, quota_history::key_view{fp, 0, 0});
  ordered keys = ordered::array();
  for (const auto& [fp, k] : seen) {
    ordered users = ordered::array();
    if (auto it = clients_of.find(fp); it != clients_of.end())
      for (const auto& u : it->second) users.push_back(u);
    keys.push_back({{"api_key", fp},
                    {"clients", std::move(users)},
                    {"operations_last_hour", k.operations_last_hour},
                    {"queue_length", k.queue_length}});
  }
  const long long per_hour =
      up.rate_window_ms > 0 ? static_cast<long long>(up.operations_per_minute) * 3600000LL / up.rate_window_ms : 0;
  return {{"scope", "this instance"},
          {"operations_per_hour", per_hour},
          {"max_queue", up.max_queue},
          {"keys", std::move(keys)}};
}

ordered tokens_json(const status_inputs& in) {
  ordered out = ordered::array();
  for (const auto& c : in.cfg.clients) {
    const token_health h = in.token_of ? in.token_of(c) : token_health{};
    ordered t = {{"user", c.user}, {"client_id", c.client_id}};
    t["state"] = h.valid ? "valid" : (h.last_error.empty() ? "missing" : "failing");
    if (h.age) t["age_s"] = h.age->count();
    else t["age_s"] = nullptr;
    if (h.expires_in) t["expires_in_s"] = h.expires_in->count();
    else t["expires_in_s"] = nullptr;
    t["last_error"] = h.last_error;
    out.push_back(std::move(t));
  }
  return out;
}

ordered errors_json(const status_inputs& in) {
  ordered recent = ordered::array();
  for (const upstream_error& e : in.errors.newest_first()) {
    ordered j = {{"time", iso_time(e.at)}};
    if (e.status > 0) j["status"] = e.status;
    else j["status"] = nullptr;
    j["method"] = e.method;
    j["user"] = e.user;
    j["message"] = e.message;
    recent.push_back(std::move(j));
  }
  return {{"total", in.errors.total()}, {"capacity", in.errors.capacity()}, {"recent", std::move(recent)}};
}

}  // namespace

std::string render_status_json(const status_inputs& in) {
  ordered doc;
  doc["generated_at"] = iso_time(std::chrono::floor<std::chrono::seconds>(in.now));
  doc["today"] = iso_date(day_number(in.now));
  doc["quiet_after_days"] = in.quiet_after_days;
  doc["methods"] = methods_json(in);
  doc["quota"] = quota_json(in);
  doc["tokens"] = tokens_json(in);
  doc["upstream_errors"] = errors_json(in);
  return doc.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

std::function<std::string()> status_source(const std::shared_ptr<const config::config>& cfg, const usage_report& usage,
                                           const token_cache& tokens, const status_feed& feed) {
  return [&cfg, &usage, &tokens, &feed] {
    const usage_data view = usage.view();
    const auto config = cfg;  // this rendering's snapshot
    return render_status_json(status_inputs{
        std::chrono::system_clock::now(), *config, view, feed.quota, feed.errors,
        [&tokens](const config::client_config& c) {
          const token_credentials creds{c.client_id, c.client_secret};
          return token_health{tokens.holds_valid_token(creds), tokens.token_age(creds), tokens.token_expires_in(creds),
                              tokens.last_error(creds)};
        }});
  };
}

}  // namespace pcbridge::proxy
