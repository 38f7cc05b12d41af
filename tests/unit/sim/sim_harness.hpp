#pragma once
// Drives pcbridge::sim::simulator directly, with a fake clock and a fetched token.
#include "tools/sim/sim_simulator.hpp"
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_time.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sim_test {

using pcbridge::sim::json;
using pcbridge::sim::sim_request;
using pcbridge::sim::sim_response;

inline constexpr const char* program = "PRG0M4A7B2CD";
inline const std::string program_path = "/services/v2/Programs/PRG0M4A7B2CD";

inline pcbridge::sim::sim_options options(int ops_per_minute = 0) {
  pcbridge::sim::sim_options o;
  o.ops_per_minute = ops_per_minute;
  o.seed = 42;
  return o;
}

struct harness {
  explicit harness(pcbridge::sim::sim_options o = options()) : sim(std::move(o)) {}

  pcbridge::sim::simulator sim;
  pcbridge::sim::time_point now = pcbridge::sim::local_time(2025, 1, 15, 9, 0, 0);
  std::string token;
  std::string api_key = "demo-key";

  sim_response call(std::string method, std::string target, std::string body = {},
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    sim_request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    for (auto& [n, v] : headers) req.headers.add(std::move(n), std::move(v));
    return sim.handle(req, now);
  }

  sim_response fetch_token_response(const std::string& body) {
    return call("POST", "/connect/token", body, {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  std::string fetch_token() {
    auto r = fetch_token_response("grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
    REQUIRE(r.status == 200);
    token = json::parse(r.body)["access_token"].get<std::string>();
    return token;
  }

  // An authenticated V2 call; `path` is relative to /services/v2/Programs/PRG0M4A7B2CD
  // when it does not start with '/'.
  sim_response api(std::string method, std::string path, std::string body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (token.empty()) fetch_token();
    if (path.empty() || path.front() != '/') path = program_path + "/" + path;
    headers.emplace_back("Authorization", "Bearer " + token);
    headers.emplace_back("X-ApiKey", api_key);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return call(std::move(method), std::move(path), std::move(body), std::move(headers));
  }

  json api_json(std::string method, std::string path, std::string body = {}, int expected_status = 200) {
    auto r = api(std::move(method), std::move(path), std::move(body));
    INFO(r.body);
    REQUIRE(r.status == expected_status);
    return json::parse(r.body);
  }

  json control(std::string method, std::string target, std::string body = {}) {
    auto r = call(std::move(method), std::move(target), std::move(body));
    INFO(r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }

  void advance(std::chrono::nanoseconds d) { now += d; }
};

// The title of a problem+json answer.
inline std::string title(const sim_response& r) { return json::parse(r.body).value("title", ""); }

}  // namespace sim_test
