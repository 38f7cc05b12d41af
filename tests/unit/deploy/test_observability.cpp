// deploy/prometheus/alerts.yaml and deploy/grafana/pcbridge-dashboard.json: well formed, and
// every metric they query is one pcbridge exports (named in proxy/metrics.cpp or
// proxy/process_metrics.cpp), so a renamed metric cannot leave a silent alert or an empty panel.
// `promtool check rules` runs too where promtool is installed (Debian package prometheus).
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "release_util.hpp"

using namespace release_test;

namespace {

// Metric names pcbridge renders, from its sources.
std::set<std::string> exported_metrics() {
  std::set<std::string> names;
  const std::regex name(R"re("((pcbridge|process)_[a-z_]+)")re");
  for (const char* file : {"proxy/metrics.cpp", "proxy/process_metrics.cpp"}) {
    const std::string text = slurp(source_path(file));
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it)
      names.insert((*it)[1]);
  }
  return names;
}

// Metric names used by a PromQL expression (histogram suffixes removed).
std::set<std::string> metrics_in(const std::string& expr) {
  std::set<std::string> out;
  const std::regex name(R"(\b((pcbridge|process)_[a-z_]+))");
  for (auto it = std::sregex_iterator(expr.begin(), expr.end(), name); it != std::sregex_iterator(); ++it) {
    std::string n = (*it)[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0 && n != "pcbridge_requests_total") {
        n.resize(n.size() - s.size());
        break;
      }
    }
    out.insert(n);
  }
  return out;
}

bool balanced(const std::string& expr) {
  int depth = 0;
  for (char c : expr) {
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth < 0) return false;
  }
  return depth == 0;
}

}  // namespace

TEST_CASE("observability: the metric names of the sources are found") {
  const auto names = exported_metrics();
  for (const char* n : {"pcbridge_request_duration_seconds", "pcbridge_upstream_latency_seconds", "pcbridge_token_age_seconds",
                        "pcbridge_refused_requests_total", "process_cpu_seconds_total", "process_open_fds"}) {
    CAPTURE(n);
    CHECK(names.count(n) == 1);
  }
}

TEST_CASE("observability: alerts.yaml is a Prometheus rule file on exported metrics, covering the issue's cases") {
  const YAML::Node doc = YAML::LoadFile(source_path("deploy/prometheus/alerts.yaml"));
  REQUIRE(doc["groups"].IsSequence());
  const auto exported = exported_metrics();
  std::set<std::string> alerts, used;
  for (const auto& group : doc["groups"]) {
    REQUIRE(group["name"].IsScalar());
    REQUIRE(group["rules"].IsSequence());
    for (const auto& rule : group["rules"]) {
      const std::string name = rule["alert"].as<std::string>();
      CAPTURE(name);
      CHECK(alerts.insert(name).second);  // unique
      const std::string expr = rule["expr"].as<std::string>();
      CHECK(balanced(expr));
      CHECK(rule["labels"]["severity"].IsScalar());
      CHECK(rule["annotations"]["summary"].IsScalar());
      if (rule["for"]) CHECK(std::regex_match(rule["for"].as<std::string>(), std::regex("[0-9]+[smh]")));
      for (const auto& m : metrics_in(expr)) {
        CAPTURE(m);
        CHECK(exported.count(m) == 1);
        used.insert(m);
      }
    }
  }
  // Quota saturation, token failures, upstream 5xx ratio, queue waits (issue 13).
  for (const char* m : {"pcbridge_upstream_operations_total", "pcbridge_token_fetches_total",
                        "pcbridge_upstream_requests_total", "pcbridge_queue_wait_seconds"}) {
    CAPTURE(m);
    CHECK(used.count(m) == 1);
  }
  const run_result which = run("command -v promtool");
  if (which.code == 0) {
    const run_result check = run("promtool check rules " + quote(source_path("deploy/prometheus/alerts.yaml")));
    CHECK_MESSAGE(check.code == 0, check.out << check.err);
  } else {
    MESSAGE("promtool not installed: structure check only");
  }
}

TEST_CASE("observability: the Grafana dashboard is valid JSON whose panels query exported metrics") {
  const auto dash = nlohmann::json::parse(slurp(source_path("deploy/grafana/pcbridge-dashboard.json")));
  CHECK(dash["title"] == "pcbridge");
  CHECK(dash["uid"].is_string());
  REQUIRE(dash["panels"].is_array());
  const auto exported = exported_metrics();
  std::set<int> ids;
  std::set<std::string> used;
  for (const auto& panel : dash["panels"]) {
    CAPTURE(panel["title"].get<std::string>());
    CHECK(ids.insert(panel["id"].get<int>()).second);
    for (const char* k : {"x", "y", "w", "h"}) CHECK(panel["gridPos"][k].is_number_integer());
    REQUIRE(!panel["targets"].empty());
    for (const auto& target : panel["targets"]) {
      const std::string expr = target["expr"];
      CHECK(balanced(expr));
      for (const auto& m : metrics_in(expr)) {
        CAPTURE(m);
        CHECK(exported.count(m) == 1);
        used.insert(m);
      }
    }
  }
  for (const char* m : {"pcbridge_request_duration_seconds", "pcbridge_upstream_latency_seconds",
                        "pcbridge_upstream_operations_total", "pcbridge_token_age_seconds", "process_resident_memory_bytes"}) {
    CAPTURE(m);
    CHECK(used.count(m) == 1);
  }
}
