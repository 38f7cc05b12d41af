// Deployment files (deploy/): the Kubernetes manifests, the systemd unit, the Dockerfile and the
// pcbridge configs they carry must agree with each other on the things that break a deployment
// silently: ports, probe paths, where secrets come from, shutdown timing and privileges.
// No container engine or cluster is needed: the files are parsed and cross-checked.
// This file: the pcbridge configs; test_manifests_k8s.cpp and test_manifests_systemd_docker.cpp
// the rest.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "manifest_support.hpp"

using namespace manifest_test;

// ================================================================ tests

TEST_CASE("deploy configs: ports 8080/9901, secrets only through *_file, drain timeout set") {
  for (const char* rel : {"deploy/config/sidecar.yaml", "deploy/config/gateway.yaml", "deploy/config/systemd.yaml"}) {
    INFO(rel);
    auto cfg = YAML::LoadFile(source_path(rel));
    check_ports(cfg, rel);
    check_listener_security(cfg, rel);
    check_admin_protected(cfg, rel);
    auto files = check_no_inline_secrets(cfg, rel);
    CHECK_FALSE(files.empty());
    CHECK(cfg["drain_timeout_ms"]);
    REQUIRE(cfg["clients"]);
    for (const auto& client : cfg["clients"]) {
      CHECK(client["password_file"]);
      CHECK(client["client_secret_file"]);
    }
    REQUIRE(cfg["rate_limit"]);
    auto backend = cfg["rate_limit"]["backend"].as<std::string>();
    CHECK((backend == "memory" || backend == "redis"));
  }
}

TEST_CASE("the secret check itself catches inline secrets") {
  auto cfg = YAML::Load(
      "clients:\n  - user: u\n    password: p\n    client_secret_file: /s\n    api_key: k\n"
      "rate_limit: { backend: redis, redis_url: 'redis://:pw@redis:6379/0' }\n");
  std::vector<std::string> flagged;
  walk(cfg, "", [&](const std::string& path, const std::string& key, const YAML::Node&) {
    if (is_secret_key(key) && !ends_with(key, "_file")) flagged.push_back(path);
  });
  CHECK(flagged == std::vector<std::string>{"clients[0].password", "clients[0].api_key"});

  auto admin = YAML::Load("upstream: { token_url: https://x }\nadmin: { address: 0.0.0.0, token: abc }\n");
  flagged.clear();
  walk(admin, "", [&](const std::string& path, const std::string& key, const YAML::Node&) {
    if (is_secret_key(key) && !ends_with(key, "_file")) flagged.push_back(path);
  });
  CHECK(flagged == std::vector<std::string>{"admin.token"});
}

