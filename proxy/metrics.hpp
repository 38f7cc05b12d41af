#pragma once
// The proxy's Prometheus metrics: a small registry with one named method per event, so a
// call site reads as what happened (`stats.count_request("GetProjects", 200)`), placed next
// to the step that causes it. `render()` gives the text exposition format 0.0.4 that the
// admin listener serves on /metrics (admin_handler.hpp).
//
// Threading: not synchronised. It lives on the proxy's one io_context thread, like every
// step that bumps it; call it from that thread only.
// Cost: an observation is a map lookup (or an array slot) and an add; it allocates only
// the first time a label set is seen. The per-key calls also hash the key (one SHA-256 of
// a short string, about a microsecond). Label sets are bounded by the route table, HTTP
// statuses and `max_api_keys` (keys can come from a client's X-ApiKey header, so further
// keys are folded into api_key="(other)").
// Secrets: API keys are handed in raw but never stored; only their fingerprint is kept
// and rendered (api_key_fingerprint). Nothing else here takes a secret.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proxy/build_info.hpp"
#include "proxy/process_metrics.hpp"

namespace pcbridge::proxy {


// First 12 hex digits (lower case) of SHA-256(api_key), via OpenSSL EVP: names a key in
// metrics without revealing it. Returns "unavailable" only if libcrypto cannot hash
// (e.g. SHA-256 disabled by the provider configuration); never throws, never echoes the key.
std::string api_key_fingerprint(std::string_view api_key);

enum class cache_name { metadata, schema };
enum class cache_result { hit, miss, coalesced };
enum class rate_limit_reason { queue_full, wait_too_long, upstream_429 };

class metrics {
 public:
  // Any std::chrono duration converts to this implicitly (e.g. admission_result::waited).
  using seconds = std::chrono::duration<double>;
  // Upstream "status" of a call that got no answer (timeout, reset, TLS failure); rendered
  // as status="error". Same convention as access_record::upstream_status.
  static constexpr int no_answer = 0;

  static constexpr std::string_view overflow_api_key = "(other)";

  // `build` is reported as pcbridge_build_info{version,revision} (revision only when known),
  // the same identity `pcbridge --version` prints.
  explicit metrics(build_identity build = this_build(), std::size_t max_api_keys = 1000);
  ~metrics();
  metrics(metrics&&) noexcept;
  metrics& operator=(metrics&&) noexcept;
  metrics(const metrics&) = delete;
  metrics& operator=(const metrics&) = delete;

  // A V1 request answered: pcbridge_requests_total{method,status}. `v1_method` is the
  // route's V1 method name, or "-" (also used when empty) when no route matched.
  void count_request(std::string_view v1_method, int status);

  // A V1 request answered after `duration`: count_request plus
  // pcbridge_request_duration_seconds{method,status_class="2xx".."5xx"}.
  void observe_request(std::string_view v1_method, int status, seconds duration);

  // A V2 API call finished (answered or failed): pcbridge_upstream_requests_total{method,
  // status} and pcbridge_upstream_latency_seconds{method}. `status` is the upstream HTTP status,
  // or no_answer. The latency of failures is observed too (time until the failure).
  void observe_upstream(std::string_view v1_method, int status, seconds latency);

  // A request left the rate-gate queue (admitted or refused): pcbridge_queue_wait_seconds.
  void observe_queue_wait(seconds wait);

  // An OAuth token fetch finished: pcbridge_token_fetches_total{result="ok|error"}.
  void count_token_fetch(bool ok);

  // A metadata or schema cache lookup: pcbridge_cache_requests_total{cache,result};
  // `coalesced` means the caller joined a fetch already in flight.
  void count_cache(cache_name cache, cache_result result);

  // Values typed by pattern because no form schema was known (translate's
  // typing_fallbacks): pcbridge_value_typing_fallbacks_total. Non-positive `n` is ignored.
  void count_value_typing_fallbacks(int n = 1);

  // One V2 API operation started on `api_key` (raw; only its fingerprint is kept):
  // pcbridge_upstream_operations_total{api_key="<fingerprint>"}.
  void count_upstream_operation(std::string_view api_key);

  // The rate-gate queue length of `api_key` (raw; only its fingerprint is kept) is now
  // `length`: gauge pcbridge_queue_length{api_key="<fingerprint>"}.
  void set_queue_length(std::string_view api_key, std::size_t length);

  // A request was refused (queue_full, wait_too_long) or an upstream 429 paused a key:
  // pcbridge_rate_limited_total{reason}.
  void count_rate_limited(rate_limit_reason reason);

  // A request the HTTP layer answered itself, before any routing: 400 (unparseable head or
  // body framing), 413 (body over listen.max_body_bytes), 431 (head over max_header_bytes),
  // 503 (no room for more bodies in memory): pcbridge_refused_requests_total{reason}.
  void count_refused(int status);

  // Read at each render: (client id, age in seconds of the token held for it), rendered as
  // pcbridge_token_age_seconds{client_id}. Client ids are configuration, not secrets.
  void set_token_age_source(std::function<std::vector<std::pair<std::string, double>>()> source);

  // Read at each render for the process_* families; sample_process (from /proc/self) unless
  // replaced (a test passes fixed values, so two renders can be compared byte for byte).
  void set_process_sampler(std::function<process_sample()> sampler);

  // pcbridge_draining: 1 from the start of a graceful drain, else 0.
  void set_draining(bool draining);

  // A configuration reload finished: pcbridge_config_reloads_total{result="ok|error"}.
  void count_config_reload(bool ok);

  // Every family, in a fixed order, each with # HELP and # TYPE; series sorted by their
  // label values; label values escaped. Families with fixed label values (results,
  // reasons, caches) list every value, zeros included.
  std::string render() const;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace pcbridge::proxy
