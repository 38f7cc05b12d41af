#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "proxy/metrics.hpp"
#include "proxy/process_metrics.hpp"

using namespace pcbridge::proxy;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("metrics: api key fingerprint is the first 12 hex digits of SHA-256") {
  CHECK(api_key_fingerprint("SECRET-KEY-123") == "d1011906b85c");
  CHECK(api_key_fingerprint("other-key") == "580843d03d22");
  CHECK(api_key_fingerprint("") == "e3b0c44298fc");
}

TEST_CASE("metrics: the remembered last fingerprint never answers for another key") {
  CHECK(api_key_fingerprint("SECRET-KEY-123") == "d1011906b85c");
  CHECK(api_key_fingerprint("SECRET-KEY-123") == "d1011906b85c");  // the remembered one
  CHECK(api_key_fingerprint("SECRET-KEY-124") == "ff0d48b450de");  // same length, one byte apart
  CHECK(api_key_fingerprint("SECRET-KEY-123") == "d1011906b85c");
  CHECK(api_key_fingerprint("") == "e3b0c44298fc");
  CHECK(api_key_fingerprint("SECRET-KEY-124") == "ff0d48b450de");
}

TEST_CASE("metrics: exact exposition text for a known sequence of observations") {
  metrics m(build_identity{"0.1.0", ""});
  m.count_request("GetProjects", 200);
  m.count_request("GetProjects", 200);
  m.count_request("GetProjects", 404);
  m.observe_request("CreateProject", 201, 30ms);  // counted in requests_total too
  m.count_request("-", 404);

  m.observe_upstream("GetProjects", 200, 250ms);
  m.observe_upstream("GetProjects", 200, 500ms);  // on a bucket bound: counted in le="0.5"
  m.observe_upstream("GetProjects", metrics::no_answer, 30s);
  m.observe_upstream("CreateProject", 201, 40s);  // above the last bound: +Inf only

  m.observe_queue_wait(0ms);
  m.observe_queue_wait(1500ms);
  m.observe_queue_wait(200s);

  m.count_token_fetch(true);
  m.count_token_fetch(true);
  m.count_token_fetch(false);

  m.count_cache(cache_name::metadata, cache_result::hit);
  m.count_cache(cache_name::metadata, cache_result::hit);
  m.count_cache(cache_name::metadata, cache_result::coalesced);
  m.count_cache(cache_name::schema, cache_result::miss);

  m.count_value_typing_fallbacks(3);
  m.count_value_typing_fallbacks(0);
  m.count_value_typing_fallbacks(-1);

  m.count_upstream_operation("SECRET-KEY-123");
  m.count_upstream_operation("SECRET-KEY-123");
  m.count_upstream_operation("other-key");
  m.set_queue_length("SECRET-KEY-123", 7);
  m.set_queue_length("SECRET-KEY-123", 5);

  m.count_rate_limited(rate_limit_reason::queue_full);
  m.count_rate_limited(rate_limit_reason::upstream_429);
  m.count_rate_limited(rate_limit_reason::upstream_429);

  m.count_refused(400);
  m.count_refused(413);
  m.count_refused(413);
  m.count_refused(431);
  m.set_draining(true);
  m.count_config_reload(true);
  m.set_token_age_source([] { return std::vector<std::pair<std::string, double>>{{"zeta", 5}, {"alpha", 1799}}; });
  m.set_process_sampler([] {
    process_sample p;
    p.cpu_seconds = 1.25;
    p.resident_bytes = 13107200;
    p.open_fds = 12;
    p.max_fds = 1024;
    p.start_time_seconds = 1764633600.5;
    return p;  // virtual_bytes unknown: its family has no sample
  });

  const std::string expected =
      "# HELP pcbridge_requests_total V1 requests answered, by V1 method (- when no route matched) and HTTP status.\n"
      "# TYPE pcbridge_requests_total counter\n"
      "pcbridge_requests_total{method=\"-\",status=\"404\"} 1\n"
      "pcbridge_requests_total{method=\"CreateProject\",status=\"201\"} 1\n"
      "pcbridge_requests_total{method=\"GetProjects\",status=\"200\"} 2\n"
      "pcbridge_requests_total{method=\"GetProjects\",status=\"404\"} 1\n"
      "# HELP pcbridge_request_duration_seconds Time from a V1 request's head to its answer, by V1 method and "
      "status class (2xx..5xx).\n"
      "# TYPE pcbridge_request_duration_seconds histogram\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.005\"} 0\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.01\"} 0\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.025\"} 0\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.05\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.1\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.25\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"0.5\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"1\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"2.5\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"5\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"10\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"30\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"60\"} 1\n"
      "pcbridge_request_duration_seconds_bucket{method=\"CreateProject\",status_class=\"2xx\",le=\"+Inf\"} 1\n"
      "pcbridge_request_duration_seconds_sum{method=\"CreateProject\",status_class=\"2xx\"} 0.03\n"
      "pcbridge_request_duration_seconds_count{method=\"CreateProject\",status_class=\"2xx\"} 1\n"
      "# HELP pcbridge_upstream_requests_total V2 API calls, by V1 method and upstream HTTP status (error when no "
      "answer came).\n"
      "# TYPE pcbridge_upstream_requests_total counter\n"
      "pcbridge_upstream_requests_total{method=\"CreateProject\",status=\"201\"} 1\n"
      "pcbridge_upstream_requests_total{method=\"GetProjects\",status=\"error\"} 1\n"
      "pcbridge_upstream_requests_total{method=\"GetProjects\",status=\"200\"} 2\n"
      "# HELP pcbridge_upstream_latency_seconds Time from sending a V2 API call to its answer or failure, by V1 "
      "method.\n"
      "# TYPE pcbridge_upstream_latency_seconds histogram\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.005\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.01\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.025\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.05\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.1\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.25\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"0.5\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"1\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"2.5\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"5\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"10\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"30\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"CreateProject\",le=\"+Inf\"} 1\n"
      "pcbridge_upstream_latency_seconds_sum{method=\"CreateProject\"} 40\n"
      "pcbridge_upstream_latency_seconds_count{method=\"CreateProject\"} 1\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.005\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.01\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.025\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.05\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.1\"} 0\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.25\"} 1\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.5\"} 2\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"1\"} 2\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"2.5\"} 2\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"5\"} 2\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"10\"} 2\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"30\"} 3\n"
      "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"+Inf\"} 3\n"
      "pcbridge_upstream_latency_seconds_sum{method=\"GetProjects\"} 30.75\n"
      "pcbridge_upstream_latency_seconds_count{method=\"GetProjects\"} 3\n"
      "# HELP pcbridge_queue_wait_seconds Time a request waited in its API key's rate-gate queue.\n"
      "# TYPE pcbridge_queue_wait_seconds histogram\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.001\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.005\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.01\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.05\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.1\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"0.5\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"1\"} 1\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"2.5\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"5\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"10\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"30\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"60\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"120\"} 2\n"
      "pcbridge_queue_wait_seconds_bucket{le=\"+Inf\"} 3\n"
      "pcbridge_queue_wait_seconds_sum 201.5\n"
      "pcbridge_queue_wait_seconds_count 3\n"
      "# HELP pcbridge_token_fetches_total OAuth token fetches, by result.\n"
      "# TYPE pcbridge_token_fetches_total counter\n"
      "pcbridge_token_fetches_total{result=\"ok\"} 2\n"
      "pcbridge_token_fetches_total{result=\"error\"} 1\n"
      "# HELP pcbridge_cache_requests_total Metadata and schema cache lookups, by result (coalesced: joined a fetch "
      "in flight).\n"
      "# TYPE pcbridge_cache_requests_total counter\n"
      "pcbridge_cache_requests_total{cache=\"metadata\",result=\"hit\"} 2\n"
      "pcbridge_cache_requests_total{cache=\"metadata\",result=\"miss\"} 0\n"
      "pcbridge_cache_requests_total{cache=\"metadata\",result=\"coalesced\"} 1\n"
      "pcbridge_cache_requests_total{cache=\"schema\",result=\"hit\"} 0\n"
      "pcbridge_cache_requests_total{cache=\"schema\",result=\"miss\"} 1\n"
      "pcbridge_cache_requests_total{cache=\"schema\",result=\"coalesced\"} 0\n"
      "# HELP pcbridge_value_typing_fallbacks_total Values typed by pattern because no form schema was known.\n"
      "# TYPE pcbridge_value_typing_fallbacks_total counter\n"
      "pcbridge_value_typing_fallbacks_total 3\n"
      "# HELP pcbridge_upstream_operations_total V2 API operations started, by API key fingerprint (first 12 hex "
      "digits of its SHA-256).\n"
      "# TYPE pcbridge_upstream_operations_total counter\n"
      "pcbridge_upstream_operations_total{api_key=\"580843d03d22\"} 1\n"
      "pcbridge_upstream_operations_total{api_key=\"d1011906b85c\"} 2\n"
      "# HELP pcbridge_queue_length Requests waiting in the rate-gate queue, by API key fingerprint.\n"
      "# TYPE pcbridge_queue_length gauge\n"
      "pcbridge_queue_length{api_key=\"580843d03d22\"} 0\n"
      "pcbridge_queue_length{api_key=\"d1011906b85c\"} 5\n"
      "# HELP pcbridge_rate_limited_total Requests refused by the rate gate, and upstream 429 answers, by reason.\n"
      "# TYPE pcbridge_rate_limited_total counter\n"
      "pcbridge_rate_limited_total{reason=\"queue_full\"} 1\n"
      "pcbridge_rate_limited_total{reason=\"wait_too_long\"} 0\n"
      "pcbridge_rate_limited_total{reason=\"upstream_429\"} 2\n"
      "# HELP pcbridge_refused_requests_total Requests answered by the HTTP layer before routing, by reason (400 "
      "parse_error, 413 body_too_large, 431 header_too_large, 503 busy).\n"
      "# TYPE pcbridge_refused_requests_total counter\n"
      "pcbridge_refused_requests_total{reason=\"parse_error\"} 1\n"
      "pcbridge_refused_requests_total{reason=\"body_too_large\"} 2\n"
      "pcbridge_refused_requests_total{reason=\"header_too_large\"} 1\n"
      "pcbridge_refused_requests_total{reason=\"busy\"} 0\n"
      "pcbridge_refused_requests_total{reason=\"other\"} 0\n"
      "# HELP pcbridge_draining 1 while pcbridge drains before stopping, else 0.\n"
      "# TYPE pcbridge_draining gauge\n"
      "pcbridge_draining 1\n"
      "# HELP pcbridge_config_reloads_total Configuration reloads, by result.\n"
      "# TYPE pcbridge_config_reloads_total counter\n"
      "pcbridge_config_reloads_total{result=\"ok\"} 1\n"
      "pcbridge_config_reloads_total{result=\"error\"} 0\n"
      "# HELP pcbridge_token_age_seconds Age of the OAuth access token held for each configured client id.\n"
      "# TYPE pcbridge_token_age_seconds gauge\n"
      "pcbridge_token_age_seconds{client_id=\"alpha\"} 1799\n"
      "pcbridge_token_age_seconds{client_id=\"zeta\"} 5\n"
      "# HELP pcbridge_build_info pcbridge build; the value is always 1.\n"
      "# TYPE pcbridge_build_info gauge\n"
      "pcbridge_build_info{version=\"0.1.0\"} 1\n"
      "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\n"
      "process_cpu_seconds_total 1.25\n"
      "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\n"
      "process_resident_memory_bytes 13107200\n"
      "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
      "# TYPE process_virtual_memory_bytes gauge\n"
      "# HELP process_open_fds Number of open file descriptors.\n"
      "# TYPE process_open_fds gauge\n"
      "process_open_fds 12\n"
      "# HELP process_max_fds Maximum number of open file descriptors.\n"
      "# TYPE process_max_fds gauge\n"
      "process_max_fds 1024\n"
      "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
      "# TYPE process_start_time_seconds gauge\n"
      "process_start_time_seconds 1764633600.5\n";
  const std::string text = m.render();
  CHECK(text == expected);
  CHECK(m.render() == text);  // rendering does not change anything
}

TEST_CASE("metrics: raw API keys never appear, their fingerprints do") {
  metrics m;
  m.count_upstream_operation("SECRET-KEY-123");
  m.set_queue_length("SECRET-KEY-123", 2);
  m.set_queue_length("queued-only-key", 1);
  const std::string text = m.render();
  CHECK_FALSE(contains(text, "SECRET-KEY-123"));
  CHECK_FALSE(contains(text, "SECRET"));
  CHECK_FALSE(contains(text, "queued-only-key"));
  CHECK(contains(text, "pcbridge_upstream_operations_total{api_key=\"d1011906b85c\"} 1\n"));
  CHECK(contains(text, "pcbridge_queue_length{api_key=\"d1011906b85c\"} 2\n"));
  CHECK(contains(text, "pcbridge_queue_length{api_key=\"" + api_key_fingerprint("queued-only-key") + "\"} 1\n"));
}

TEST_CASE("metrics: a fresh registry lists fixed label sets at zero and the build info") {
  metrics m(build_identity{"0.1.0", ""});
  const std::string text = m.render();
  // No sample before the first request: the family's # HELP/# TYPE only.
  CHECK(contains(text, "# TYPE pcbridge_requests_total counter\n# HELP pcbridge_request_duration_seconds"));
  CHECK(contains(text, "# TYPE pcbridge_request_duration_seconds histogram\n# HELP pcbridge_upstream_requests_total"));
  CHECK(contains(text, "# TYPE pcbridge_token_age_seconds gauge\n# HELP pcbridge_build_info"));
  CHECK(contains(text, "pcbridge_token_fetches_total{result=\"ok\"} 0\n"));
  CHECK(contains(text, "pcbridge_cache_requests_total{cache=\"schema\",result=\"coalesced\"} 0\n"));
  CHECK(contains(text, "pcbridge_rate_limited_total{reason=\"wait_too_long\"} 0\n"));
  CHECK(contains(text, "pcbridge_draining 0\n"));
  CHECK(contains(text, "pcbridge_build_info{version=\"0.1.0\"} 1\n"));
  CHECK(contains(metrics(build_identity{"1.2.3-rc\"1", ""}).render(), "pcbridge_build_info{version=\"1.2.3-rc\\\"1\"} 1\n"));
  CHECK(contains(metrics(build_identity{"0.2.0", "1a94a39c0d2e-dirty"}).render(),
                 "pcbridge_build_info{revision=\"1a94a39c0d2e-dirty\",version=\"0.2.0\"} 1\n"));
  // Every family is announced by # HELP and # TYPE.
  for (const char* family :
       {"pcbridge_requests_total", "pcbridge_upstream_requests_total", "pcbridge_upstream_latency_seconds",
        "pcbridge_queue_wait_seconds", "pcbridge_token_fetches_total", "pcbridge_cache_requests_total",
        "pcbridge_value_typing_fallbacks_total", "pcbridge_upstream_operations_total", "pcbridge_queue_length",
        "pcbridge_rate_limited_total", "pcbridge_draining", "pcbridge_config_reloads_total", "pcbridge_build_info",
        "pcbridge_request_duration_seconds", "pcbridge_refused_requests_total", "pcbridge_token_age_seconds",
        "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"}) {
    CAPTURE(family);
    CHECK(contains(text, std::string("# HELP ") + family + " "));
    CHECK(contains(text, std::string("# TYPE ") + family + " "));
  }
  m.set_draining(true);
  m.set_draining(false);
  CHECK(contains(m.render(), "pcbridge_draining 0\n"));
}

TEST_CASE("metrics: label values are escaped and an empty method reads as -") {
  metrics m;
  m.count_request("Get\"X\\y\nz", 200);
  m.count_request("", 400);
  const std::string text = m.render();
  CHECK(contains(text, "pcbridge_requests_total{method=\"Get\\\"X\\\\y\\nz\",status=\"200\"} 1\n"));
  CHECK(contains(text, "pcbridge_requests_total{method=\"-\",status=\"400\"} 1\n"));
}

TEST_CASE("metrics: histogram bounds are inclusive; NaN is ignored and negative durations count as zero") {
  metrics m;
  m.observe_queue_wait(1ms);     // exactly the first bound
  m.observe_queue_wait(-5ms);    // clamped to 0
  m.observe_queue_wait(metrics::seconds(std::nan("")));
  m.observe_upstream("GetProjects", 200, 5ms);  // exactly the first bound
  const std::string text = m.render();
  CHECK(contains(text, "pcbridge_queue_wait_seconds_bucket{le=\"0.001\"} 2\n"));
  CHECK(contains(text, "pcbridge_queue_wait_seconds_sum 0.001\n"));
  CHECK(contains(text, "pcbridge_queue_wait_seconds_count 2\n"));
  CHECK(contains(text, "pcbridge_upstream_latency_seconds_bucket{method=\"GetProjects\",le=\"0.005\"} 1\n"));
}

TEST_CASE("metrics: series are sorted by label values whatever the order of first use") {
  // Fixed process figures: the real ones (CPU seconds, RSS) may change between two renders.
  const auto fixed = [] { return process_sample{}; };
  metrics a;
  a.set_process_sampler(fixed);
  a.count_request("GetProjects", 500);
  a.count_request("AddNote", 200);
  a.count_request("GetProjects", 200);
  metrics b;
  b.set_process_sampler(fixed);
  b.count_request("GetProjects", 200);
  b.count_request("GetProjects", 500);
  b.count_request("AddNote", 200);
  CHECK(a.render() == b.render());
  const std::string text = a.render();
  CHECK(text.find("method=\"AddNote\"") < text.find("method=\"GetProjects\",status=\"200\""));
  CHECK(text.find("status=\"200\"} 1\npcbridge_requests_total{method=\"GetProjects\",status=\"500\"}") !=
        std::string::npos);
}

TEST_CASE("metrics: API keys beyond the limit are folded into (other)") {
  metrics m(this_build(), 2);
  m.count_upstream_operation("SECRET-KEY-123");
  m.count_upstream_operation("other-key");
  m.count_upstream_operation("third-key");
  m.set_queue_length("fourth-key", 4);
  m.count_upstream_operation("SECRET-KEY-123");  // known keys keep their own series
  const std::string text = m.render();
  CHECK(contains(text, "# TYPE pcbridge_upstream_operations_total counter\n"
                       "pcbridge_upstream_operations_total{api_key=\"(other)\"} 1\n"
                       "pcbridge_upstream_operations_total{api_key=\"580843d03d22\"} 1\n"
                       "pcbridge_upstream_operations_total{api_key=\"d1011906b85c\"} 2\n"));
  CHECK(contains(text, "pcbridge_queue_length{api_key=\"(other)\"} 4\n"));
  CHECK_FALSE(contains(text, api_key_fingerprint("third-key")));
}

TEST_CASE("metrics: pcbridge_build_info names the build --version prints") {
  const build_identity build = this_build();
  CHECK_FALSE(build.version.empty());
  const std::string text = metrics().render();
  const std::string line = version_line(build);
  CHECK(contains(line, "pcbridge " + std::string(build.version)));
  if (build.revision.empty()) {
    CHECK(contains(text, "pcbridge_build_info{version=\"" + std::string(build.version) + "\"} 1\n"));
  } else {
    CHECK(contains(line, " (git " + std::string(build.revision) + ")"));
    CHECK(contains(text, "pcbridge_build_info{revision=\"" + std::string(build.revision) + "\",version=\"" +
                             std::string(build.version) + "\"} 1\n"));
  }
}

TEST_CASE("metrics: request durations by V1 method and status class") {
  metrics m;
  m.observe_request("GetProjects", 200, 20ms);
  m.observe_request("GetProjects", 204, 2s);
  m.observe_request("GetProjects", 503, 7ms);
  m.observe_request("", 404, 1ms);
  const std::string text = m.render();
  CHECK(contains(text, "pcbridge_requests_total{method=\"GetProjects\",status=\"200\"} 1\n"));  // counted too
  CHECK(contains(text, "pcbridge_request_duration_seconds_bucket{method=\"GetProjects\",status_class=\"2xx\",le=\"0.025\"} 1\n"));
  CHECK(contains(text, "pcbridge_request_duration_seconds_bucket{method=\"GetProjects\",status_class=\"2xx\",le=\"2.5\"} 2\n"));
  CHECK(contains(text, "pcbridge_request_duration_seconds_count{method=\"GetProjects\",status_class=\"2xx\"} 2\n"));
  CHECK(contains(text, "pcbridge_request_duration_seconds_sum{method=\"GetProjects\",status_class=\"5xx\"} 0.007\n"));
  CHECK(contains(text, "pcbridge_request_duration_seconds_count{method=\"-\",status_class=\"4xx\"} 1\n"));
}
