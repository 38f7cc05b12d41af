#pragma once
// Migration usage report: which client (Basic user name) still calls which V1 method, how
// often, how many of those calls failed (by status class), when it was first and last
// seen, and its calls per day (usage_data.hpp). Operators read it on /admin/usage, the
// dashboard and `pcbridge usage` to decide when a V1 method or client can be retired.
//
// Two parts: what the store holds (the state file or Redis, as last loaded or flushed:
// usage_sync.hpp) and what this process recorded since its last flush. Readers see both
// merged. Threading: not synchronised; lives on the proxy's one io_context thread.
// Reads no clock: the caller passes the wall-clock time of each request.
// Limit: at most `max_users` distinct user names are kept; requests of further users are
// folded into the user "(other)" so a client sending random names cannot grow it unbounded.
#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "proxy/usage_data.hpp"

namespace pcbridge::proxy {

class usage_report {
 public:
  static constexpr std::string_view overflow_user = "(other)";

  explicit usage_report(std::size_t max_users = 10000) : max_users_(max_users) {}

  // One answered V1 request. `user`: the authenticated Basic user name, "-" when
  // unauthenticated. `v1_method`: the route's V1 method, "-" when none matched.
  // 400-499 counts as a 4xx error, 500 and above as a 5xx error.
  void record(std::string_view user, std::string_view v1_method, int status,
              std::chrono::system_clock::time_point now);

  usage_data view() const;          // stored + pending, merged
  std::string render_json() const;  // render_usage_json(view())
  std::string render_csv() const;   // render_usage_csv(view())

  // Flushing (usage_sync): take what was recorded since the last flush; on success hand
  // the store's new content to set_stored(), on failure give the taken part back.
  usage_data take_pending();
  void restore_pending(const usage_data& taken);
  void set_stored(usage_data stored);
  const usage_data& stored() const { return stored_; }
  const usage_data& pending() const { return pending_; }

 private:
  std::size_t max_users_;
  usage_data stored_;
  usage_data pending_;
  std::set<std::string, std::less<>> users_;  // every user of stored_ and pending_
};

}  // namespace pcbridge::proxy
