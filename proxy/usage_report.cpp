#include "proxy/usage_report.hpp"

namespace pcbridge::proxy {

void usage_report::record(std::string_view user, std::string_view v1_method, int status,
                          std::chrono::system_clock::time_point now) {
  if (user.empty()) user = "-";
  if (v1_method.empty()) v1_method = "-";
  if (users_.find(user) == users_.end()) {
    if (users_.size() >= max_users_) user = overflow_user;
    users_.emplace(user);
  }
  pair_usage& u = pending_.pairs[usage_key{std::string(user), std::string(v1_method)}];
  const auto at = std::chrono::floor<std::chrono::seconds>(now);
  if (u.calls == 0 || at < u.first_seen) u.first_seen = at;
  if (u.calls == 0 || at > u.last_seen) u.last_seen = at;
  ++u.calls;
  if (status >= 400 && status < 500) ++u.errors_4xx;
  if (status >= 500) ++u.errors_5xx;
  ++u.daily[day_number(now)];
}

usage_data usage_report::view() const {
  usage_data out = stored_;
  out.merge(pending_);
  return out;
}

std::string usage_report::render_json() const { return render_usage_json(view()); }
std::string usage_report::render_csv() const { return render_usage_csv(view()); }

usage_data usage_report::take_pending() {
  usage_data taken = std::move(pending_);
  pending_ = {};
  return taken;
}

void usage_report::restore_pending(const usage_data& taken) { pending_.merge(taken); }

void usage_report::set_stored(usage_data stored) {
  stored_ = std::move(stored);
  for (const auto& [key, u] : stored_.pairs) users_.insert(key.user);
}

}  // namespace pcbridge::proxy
