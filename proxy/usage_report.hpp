#pragma once
// Migration usage report: which client (Basic user name) still calls which V1 method, how
// often, how many of those calls failed, and when it was last seen. Operators read it on
// /admin/usage (admin_handler.hpp) to decide when a V1 client can be retired.
//
// Threading: not synchronised; lives on the proxy's one io_context thread.
// Reads no clock: the caller passes the wall-clock time of each request.
// Limit: at most `max_users` distinct user names are kept; requests of further users are
// folded into the user "(other)" so a client sending random names cannot grow it unbounded.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

class usage_report {
 public:
  static constexpr std::string_view overflow_user = "(other)";

  explicit usage_report(std::size_t max_users = 10000) : max_users_(max_users) {}

  // One answered V1 request. `user`: the authenticated Basic user name, "-" when
  // unauthenticated. `v1_method`: the route's V1 method, "-" when none matched.
  // A status >= 400 also counts as an error. `now` becomes the pair's last-seen time.
  void record(std::string_view user, std::string_view v1_method, int status,
              std::chrono::system_clock::time_point now);

  // {"clients":[{"user":"u","methods":[{"method":"GetProjects","count":3,"errors":1,
  //   "last_seen":"2026-11-27T11:35:00Z"}]}]}
  // Users sorted by name, methods by name (byte order); last_seen in UTC, whole seconds.
  // Compact (no spaces); invalid UTF-8 in a name is replaced by U+FFFD, never thrown on.
  std::string render_json() const;

 private:
  struct method_usage {
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
    std::chrono::system_clock::time_point last_seen;
  };
  using method_map = std::map<std::string, method_usage, std::less<>>;

  std::size_t max_users_;
  std::map<std::string, method_map, std::less<>> users_;
};

}  // namespace pcbridge::proxy
