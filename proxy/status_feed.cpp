#include "proxy/status_feed.hpp"

#include "proxy/request_state.hpp"
#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

namespace {

std::string_view failure_name(upstream_failure f) {
  switch (f) {
    case upstream_failure::connect: return "upstream unreachable";
    case upstream_failure::timeout: return "upstream timeout";
    case upstream_failure::too_large: return "upstream answer too large";
    case upstream_failure::bad_status: return "upstream status not passed on";
    case upstream_failure::broken:
    case upstream_failure::none: break;
  }
  return "upstream connection failed";
}

}  // namespace

void status_feed::upstream_attempt(const request_state& st, const upstream_result& res,
                                   std::chrono::system_clock::time_point now) {
  quota.count_operation(st.api_key, now);
  upstream_error_seen(st, res, now);
}

void status_feed::upstream_error_seen(const request_state& st, const upstream_result& res,
                                      std::chrono::system_clock::time_point now) {
  const bool answered = res.failure == upstream_failure::none;
  if (answered && res.response.result_int() / 100 == 2) return;
  upstream_error e;
  e.at = std::chrono::floor<std::chrono::seconds>(now);
  e.method = st.rec.v1_method;
  e.user = st.who.user;
  if (answered) {
    e.status = res.response.result_int();
    e.message = upstream_error_message(res.response.body());
    if (e.message.empty()) e.message = std::string(res.response.reason());
  } else {
    e.message = std::string(failure_name(res.failure)) + (res.detail.empty() ? "" : ": " + res.detail);
  }
  errors.add(std::move(e), {st.token, st.creds.client_secret, st.api_key, st.password});
}

}  // namespace pcbridge::proxy
