#include "proxy/metrics.hpp"

#include "proxy/metrics_text.hpp"
#include "proxy/process_metrics.hpp"
#include "config/config.hpp"

#include <openssl/crypto.h>


#include <algorithm>
#include <array>
#include <functional>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace pcbridge::proxy {

namespace {

using namespace metrics_text;

constexpr std::size_t fingerprint_digits = 12;
using fingerprint_buffer = std::array<char, fingerprint_digits>;

// Writes the fingerprint into `out` without allocating; false if libcrypto failed. The last
// key's fingerprint is kept (per thread): a request counts its key more than once, and
// consecutive requests mostly share one. The key is compared in constant time.
bool fingerprint_into(std::string_view api_key, fingerprint_buffer& out) {
  thread_local std::string last_key;
  thread_local fingerprint_buffer last_fingerprint{};
  thread_local bool have_last = false;
  if (have_last && last_key.size() == api_key.size() &&
      CRYPTO_memcmp(last_key.data(), api_key.data(), api_key.size()) == 0) {
    out = last_fingerprint;
    return true;
  }
  std::array<unsigned char, 32> digest;
  try {
    digest = config::sha256(api_key);
  } catch (const std::runtime_error&) {
    return false;
  }
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < fingerprint_digits; ++i) {
    const unsigned char byte = digest[i / 2];
    out[i] = hex[i % 2 == 0 ? byte >> 4 : byte & 0x0f];
  }
  last_key.assign(api_key);
  last_fingerprint = out;
  have_last = true;
  return true;
}

constexpr std::string_view fingerprint_unavailable = "unavailable";

std::string_view fingerprint_view(std::string_view api_key, fingerprint_buffer& buffer) {
  if (!fingerprint_into(api_key, buffer)) return fingerprint_unavailable;
  return {buffer.data(), buffer.size()};
}

// A series key of (V1 method, HTTP status); looked up by (string_view, int) without
// allocating. Sorted by method, then numerically by status.
struct method_status {
  std::string method;
  int status;
};
struct method_status_less {
  using is_transparent = void;
  static std::pair<std::string_view, int> view(const method_status& k) { return {k.method, k.status}; }
  static std::pair<std::string_view, int> view(const std::pair<std::string_view, int>& k) { return k; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return view(a) < view(b);
  }
};
using method_status_counters = std::map<method_status, std::uint64_t, method_status_less>;

void bump(method_status_counters& counters, std::string_view method, int status) {
  if (method.empty()) method = "-";
  const std::pair<std::string_view, int> key{method, status};
  auto it = counters.find(key);
  if (it == counters.end()) it = counters.emplace(method_status{std::string(method), status}, 0).first;
  ++it->second;
}


struct key_series {
  std::uint64_t operations = 0;
  std::size_t queue_length = 0;
};

const std::vector<double> request_bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
const std::vector<double> upstream_bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

constexpr std::array<std::string_view, 2> cache_names = {"metadata", "schema"};
constexpr std::array<std::string_view, 3> cache_results = {"hit", "miss", "coalesced"};
constexpr std::array<std::string_view, 3> rate_limit_reasons = {"queue_full", "wait_too_long", "upstream_429"};
constexpr std::array<std::string_view, 5> refusal_reasons = {"parse_error", "body_too_large", "header_too_large",
                                                             "busy", "other"};
std::size_t refusal_index(int status) {
  switch (status) {
    case 400: return 0;
    case 413: return 1;
    case 431: return 2;
    case 503: return 3;
    default: return 4;
  }
}


std::string_view status_text(int status, char (&buf)[12]) {
  if (status == metrics::no_answer) return "error";
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, status);
  return {buf, static_cast<std::size_t>(end - buf)};
}

void append_method_status(std::string& out, std::string_view name, const method_status_counters& counters) {
  for (const auto& [key, count] : counters) {
    char buf[12];
    append_sample(out, name, {{"method", key.method}, {"status", status_text(key.status, buf)}}, count);
  }
}


}  // namespace

std::string api_key_fingerprint(std::string_view api_key) {
  fingerprint_buffer buffer;
  return std::string(fingerprint_view(api_key, buffer));
}

struct metrics::state {
  state(build_identity b, std::size_t max_keys) : version(b.version), revision(b.revision), max_api_keys(max_keys) {}

  std::string version;
  std::string revision;
  std::size_t max_api_keys;
  method_status_counters requests;
  method_status_counters upstream_requests;
  // By V1 method (the key's status is 0), and by (method, status class 2..5) for durations.
  std::map<method_status, histogram, method_status_less> upstream_latency;
  std::map<method_status, histogram, method_status_less> request_duration;
  std::function<std::vector<std::pair<std::string, double>>()> token_ages;
  std::function<process_sample()> process = sample_process;
  histogram queue_wait{{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120}};
  std::array<std::uint64_t, 2> token_fetches{};  // ok, error
  std::array<std::array<std::uint64_t, cache_results.size()>, cache_names.size()> cache{};
  std::uint64_t typing_fallbacks = 0;
  std::map<std::string, key_series, std::less<>> keys;  // by fingerprint
  std::array<std::uint64_t, rate_limit_reasons.size()> rate_limited{};
  std::array<std::uint64_t, refusal_reasons.size()> refused{};
  bool draining = false;
  std::array<std::uint64_t, 2> config_reloads{};  // ok, error

  static histogram& series(std::map<method_status, histogram, method_status_less>& m, std::string_view method,
                           int status, const std::vector<double>& bounds) {
    if (method.empty()) method = "-";
    auto it = m.find(std::pair<std::string_view, int>{method, status});
    if (it == m.end()) it = m.emplace(method_status{std::string(method), status}, histogram(bounds)).first;
    return it->second;
  }

  key_series& key(std::string_view api_key) {
    fingerprint_buffer buffer;
    const std::string_view fp = fingerprint_view(api_key, buffer);
    auto it = keys.find(fp);
    if (it == keys.end()) {
      const std::string_view name = keys.size() < max_api_keys ? fp : metrics::overflow_api_key;
      it = keys.find(name);
      if (it == keys.end()) it = keys.emplace(std::string(name), key_series{}).first;
    }
    return it->second;
  }
};

metrics::metrics(build_identity build, std::size_t max_api_keys)
    : s_(std::make_unique<state>(build, max_api_keys)) {}
metrics::~metrics() = default;
metrics::metrics(metrics&&) noexcept = default;
metrics& metrics::operator=(metrics&&) noexcept = default;

void metrics::count_request(std::string_view v1_method, int status) { bump(s_->requests, v1_method, status); }

void metrics::observe_request(std::string_view v1_method, int status, seconds duration) {
  bump(s_->requests, v1_method, status);
  state::series(s_->request_duration, v1_method, std::clamp(status / 100, 1, 5), request_bounds).observe(duration.count());
}

void metrics::observe_upstream(std::string_view v1_method, int status, seconds latency) {
  bump(s_->upstream_requests, v1_method, status);
  state::series(s_->upstream_latency, v1_method, 0, upstream_bounds).observe(latency.count());
}

void metrics::set_token_age_source(std::function<std::vector<std::pair<std::string, double>>()> source) {
  s_->token_ages = std::move(source);
}

void metrics::set_process_sampler(std::function<process_sample()> sampler) {
  s_->process = sampler ? std::move(sampler) : std::function<process_sample()>(sample_process);
}

void metrics::observe_queue_wait(seconds wait) { s_->queue_wait.observe(wait.count()); }

void metrics::count_token_fetch(bool ok) { ++s_->token_fetches[ok ? 0 : 1]; }

void metrics::count_cache(cache_name cache, cache_result result) {
  ++s_->cache[static_cast<std::size_t>(cache)][static_cast<std::size_t>(result)];
}

void metrics::count_value_typing_fallbacks(int n) {
  if (n > 0) s_->typing_fallbacks += static_cast<std::uint64_t>(n);
}

void metrics::count_upstream_operation(std::string_view api_key) { ++s_->key(api_key).operations; }

void metrics::set_queue_length(std::string_view api_key, std::size_t length) {
  s_->key(api_key).queue_length = length;
}

void metrics::count_rate_limited(rate_limit_reason reason) { ++s_->rate_limited[static_cast<std::size_t>(reason)]; }

void metrics::count_refused(int status) { ++s_->refused[refusal_index(status)]; }

void metrics::set_draining(bool draining) { s_->draining = draining; }

void metrics::count_config_reload(bool ok) { ++s_->config_reloads[ok ? 0 : 1]; }

std::string metrics::render() const {
  const state& s = *s_;
  std::string out;
  out.reserve(8192);

  append_family(out, "pcbridge_requests_total", "counter",
                "V1 requests answered, by V1 method (- when no route matched) and HTTP status.");
  append_method_status(out, "pcbridge_requests_total", s.requests);

  append_family(out, "pcbridge_request_duration_seconds", "histogram",
                "Time from a V1 request's head to its answer, by V1 method and status class (2xx..5xx).");
  for (const auto& [key, h] : s.request_duration) {
    const std::string status_class = std::to_string(key.status) + "xx";
    const label labels[] = {{"method", key.method}, {"status_class", status_class}};
    append_histogram(out, "pcbridge_request_duration_seconds", h, labels);
  }

  append_family(out, "pcbridge_upstream_requests_total", "counter",
                "V2 API calls, by V1 method and upstream HTTP status (error when no answer came).");
  append_method_status(out, "pcbridge_upstream_requests_total", s.upstream_requests);

  append_family(out, "pcbridge_upstream_latency_seconds", "histogram",
                "Time from sending a V2 API call to its answer or failure, by V1 method.");
  for (const auto& [key, h] : s.upstream_latency) {
    const label labels[] = {{"method", key.method}};
    append_histogram(out, "pcbridge_upstream_latency_seconds", h, labels);
  }

  append_family(out, "pcbridge_queue_wait_seconds", "histogram",
                "Time a request waited in its API key's rate-gate queue.");
  append_histogram(out, "pcbridge_queue_wait_seconds", s.queue_wait);

  append_family(out, "pcbridge_token_fetches_total", "counter", "OAuth token fetches, by result.");
  append_sample(out, "pcbridge_token_fetches_total", {{"result", "ok"}}, s.token_fetches[0]);
  append_sample(out, "pcbridge_token_fetches_total", {{"result", "error"}}, s.token_fetches[1]);

  append_family(out, "pcbridge_cache_requests_total", "counter",
                "Metadata and schema cache lookups, by result (coalesced: joined a fetch in flight).");
  for (std::size_t c = 0; c < cache_names.size(); ++c) {
    for (std::size_t r = 0; r < cache_results.size(); ++r) {
      append_sample(out, "pcbridge_cache_requests_total", {{"cache", cache_names[c]}, {"result", cache_results[r]}},
                    s.cache[c][r]);
    }
  }

  append_family(out, "pcbridge_value_typing_fallbacks_total", "counter",
                "Values typed by pattern because no form schema was known.");
  append_sample(out, "pcbridge_value_typing_fallbacks_total", {}, s.typing_fallbacks);

  append_family(out, "pcbridge_upstream_operations_total", "counter",
                "V2 API operations started, by API key fingerprint (first 12 hex digits of its SHA-256).");
  for (const auto& [fp, k] : s.keys) append_sample(out, "pcbridge_upstream_operations_total", {{"api_key", fp}}, k.operations);

  append_family(out, "pcbridge_queue_length", "gauge",
                "Requests waiting in the rate-gate queue, by API key fingerprint.");
  for (const auto& [fp, k] : s.keys) {
    append_sample(out, "pcbridge_queue_length", {{"api_key", fp}}, static_cast<std::uint64_t>(k.queue_length));
  }

  append_family(out, "pcbridge_rate_limited_total", "counter",
                "Requests refused by the rate gate, and upstream 429 answers, by reason.");
  for (std::size_t r = 0; r < rate_limit_reasons.size(); ++r) {
    append_sample(out, "pcbridge_rate_limited_total", {{"reason", rate_limit_reasons[r]}}, s.rate_limited[r]);
  }

  append_family(out, "pcbridge_refused_requests_total", "counter",
                "Requests answered by the HTTP layer before routing, by reason (400 parse_error, 413 "
                "body_too_large, 431 header_too_large, 503 busy).");
  for (std::size_t r = 0; r < refusal_reasons.size(); ++r) {
    append_sample(out, "pcbridge_refused_requests_total", {{"reason", refusal_reasons[r]}}, s.refused[r]);
  }

  append_family(out, "pcbridge_draining", "gauge", "1 while pcbridge drains before stopping, else 0.");
  append_sample(out, "pcbridge_draining", {}, std::uint64_t{s.draining ? 1u : 0u});

  append_family(out, "pcbridge_config_reloads_total", "counter", "Configuration reloads, by result.");
  append_sample(out, "pcbridge_config_reloads_total", {{"result", "ok"}}, s.config_reloads[0]);
  append_sample(out, "pcbridge_config_reloads_total", {{"result", "error"}}, s.config_reloads[1]);

  append_family(out, "pcbridge_token_age_seconds", "gauge",
                "Age of the OAuth access token held for each configured client id.");
  if (s.token_ages) {
    auto ages = s.token_ages();
    std::sort(ages.begin(), ages.end());
    for (const auto& [client_id, age] : ages) append_sample(out, "pcbridge_token_age_seconds", {{"client_id", client_id}}, age);
  }

  append_family(out, "pcbridge_build_info", "gauge", "pcbridge build; the value is always 1.");
  if (s.revision.empty()) {
    append_sample(out, "pcbridge_build_info", {{"version", s.version}}, std::uint64_t{1});
  } else {
    append_sample(out, "pcbridge_build_info", {{"revision", s.revision}, {"version", s.version}}, std::uint64_t{1});
  }

  append_process_metrics(out, s.process());
  return out;
}

}  // namespace pcbridge::proxy
