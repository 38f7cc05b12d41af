#include "proxy/shared_call.hpp"

#include <string>

#include "proxy/pipeline_steps.hpp"

namespace pcbridge::proxy {

namespace {

// Identical GETs of one V2 identity share answers (answer_cache.hpp).
std::string cache_key(const request_state& st, const std::string& v2_target) {
  const std::string otp = header_value(st.req, "Mfa-One-Time-Password");
  const std::string session = header_value(st.req, "Mfa-Session-Token");
  // Views, and the whole size reserved: a braced list of strings copied each part first.
  const std::string_view parts[] = {st.api_key, v2_target, otp, session};
  std::size_t size = st.creds.client_id.size();
  for (std::string_view part : parts) size += 1 + part.size();
  std::string key;
  key.reserve(size);
  key += st.creds.client_id;
  for (std::string_view part : parts) {
    key.push_back('\0');
    key += part;
  }
  return key;
}

bool bypasses_cache(const request_state& st) {
  return header_value(st.req, "Cache-Control").find("no-cache") != std::string::npos;
}

}  // namespace

std::shared_ptr<const upstream_result> peek_shared(const gateway& g, const request_state& st,
                                                   const std::string& v2_target) {
  if (bypasses_cache(st)) return nullptr;
  return g.cache->peek(cache_key(st, v2_target));
}

awaitable<shared_outcome> call_shared(const gateway& g, request_state& st, const api_call& call,
                                      std::chrono::seconds ttl, cache_name cache) {
  if (call.method != http::verb::get) {
    api_outcome own = co_await call_api(g, st, call);
    if (own.refused) co_return shared_outcome{nullptr, std::move(own.refused)};
    co_return shared_outcome{std::make_shared<const upstream_result>(std::move(own.result)), std::nullopt};
  }
  const bool bypass = bypasses_cache(st);
  std::optional<v1_response> refused;
  answer_cache::fetch_function fetch = [&]() -> awaitable<std::shared_ptr<const upstream_result>> {
    api_outcome own = co_await call_api(g, st, call);
    if (own.refused) {
      refused = std::move(own.refused);
      co_return nullptr;
    }
    co_return std::make_shared<const upstream_result>(std::move(own.result));
  };
  cached_answer shared = co_await g.cache->get(cache_key(st, call.v2_target), ttl, bypass, fetch);
  // Only the methods that are cached count as cache lookups (coalescing alone does not).
  if (ttl.count() > 0) switch (shared.outcome) {
    case cache_outcome::hit: g.stats->count_cache(cache, cache_result::hit); break;
    case cache_outcome::coalesced: g.stats->count_cache(cache, cache_result::coalesced); break;
    case cache_outcome::miss:
    case cache_outcome::bypass: g.stats->count_cache(cache, cache_result::miss); break;
  }
  if (ttl.count() > 0 && g.log->debug_enabled()) {
    static constexpr const char* names[] = {"hit", "miss", "coalesced", "bypass"};  // cache_outcome order
    g.log->debug("rid=" + st.rec.request_id + " cache " + (cache == cache_name::schema ? "schema " : "metadata ") +
                 names[static_cast<int>(shared.outcome)] + " " + call.v2_target);
  }
  co_return shared_outcome{std::move(shared.result), std::move(refused)};
}

bool is_success(const upstream_result& r) {
  return r.failure == upstream_failure::none && r.response.result_int() / 100 == 2;
}

bool is_success(const shared_outcome& o) { return o.result && is_success(*o.result); }

}  // namespace pcbridge::proxy
