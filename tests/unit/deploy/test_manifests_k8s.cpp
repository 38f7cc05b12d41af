// Deployment files (deploy/), the Kubernetes manifests: each pcbridge workload agrees with the
// config its ConfigMap carries on ports, probe paths, where secrets come from, shutdown timing
// and privileges. No cluster is needed: the files are parsed and cross-checked.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "k8s_support.hpp"

using namespace manifest_test;

TEST_CASE("k8s: the admin token comes from the pcbridge Secret volume of each manifest") {
  for (const auto& [manifest, rel, deployment] :
       {std::tuple<std::string, std::string, std::string>{"deploy/k8s/gateway.yaml", "deploy/config/gateway.yaml",
                                                          "pcbridge-gateway"},
        {"deploy/k8s/sidecar.yaml", "deploy/config/sidecar.yaml", "legacy-app"}}) {
    INFO(manifest);
    auto cfg = YAML::LoadFile(source_path(rel));
    REQUIRE(cfg["admin"]["token_file"]);
    auto token_file = cfg["admin"]["token_file"].as<std::string>();
    CHECK(basename(token_file) == "admin-token");
    auto docs = load_all(manifest);
    auto pod = check_pcbridge_workload(docs, deployment, rel);
    bool mounted = false;
    for (const auto& m : pod.pcbridge["volumeMounts"]) {
      if (m["mountPath"].as<std::string>() != dirname(token_file)) continue;
      auto v = volume(pod.pod_spec, m["name"].as<std::string>());
      REQUIRE(v["secret"]);
      bool listed = false;
      for (const auto& item : v["secret"]["items"])
        listed = listed || (item["key"].as<std::string>() == "admin-token" && item["path"].as<std::string>() == "admin-token");
      CHECK(listed);
      mounted = true;
    }
    CHECK(mounted);
    // The kubectl line that creates the Secret names the key.
    CHECK(read_text(manifest).find("--from-file=admin-token=") != std::string::npos);
  }
}

TEST_CASE("k8s sidecar: pcbridge beside the legacy app on 127.0.0.1:8080") {
  auto docs = load_all("deploy/k8s/sidecar.yaml");
  auto pod = check_pcbridge_workload(docs, "legacy-app", "deploy/config/sidecar.yaml");
  const auto& cfg = pod.config;

  CHECK(cfg["listen"]["address"].as<std::string>() == "127.0.0.1");
  // The kubelet probes the Pod IP: the admin listener cannot be loopback.
  CHECK(cfg["admin"]["address"].as<std::string>() == "0.0.0.0");

  // The legacy app is pointed at pcbridge over loopback.
  const auto want = "http://127.0.0.1:" + std::to_string(cfg["listen"]["port"].as<int>()) + "/Services.svc/v1";
  REQUIRE(pod.pod_spec["containers"]);
  bool app_found = false;
  for (const auto& c : pod.pod_spec["containers"]) {
    if (c["name"].as<std::string>() == "pcbridge") continue;
    for (const auto& e : c["env"])
      if (e["value"] && e["value"].as<std::string>() == want) app_found = true;
  }
  CHECK_MESSAGE(app_found, "no app container with an env value " << want);

  // No Secret object with values in the manifest: it is created with kubectl.
  for (const auto& s : of_kind(docs, "Secret")) {
    CHECK_FALSE(s["data"]);
    CHECK_FALSE(s["stringData"]);
  }
}

TEST_CASE("k8s gateway: replicas, TLS, Redis rate limit, Services, PDB") {
  auto docs = load_all("deploy/k8s/gateway.yaml");
  auto pod = check_pcbridge_workload(docs, "pcbridge-gateway", "deploy/config/gateway.yaml");
  const auto& cfg = pod.config;
  auto dep = named(docs, "Deployment", "pcbridge-gateway");
  auto labels = dep["spec"]["template"]["metadata"]["labels"];

  CHECK(dep["spec"]["replicas"].as<int>() >= 2);
  CHECK(cfg["listen"]["address"].as<std::string>() == "0.0.0.0");

  SUBCASE("TLS certificate and key come from a mounted kubernetes.io/tls Secret") {
    auto cert = cfg["listen"]["tls"]["cert_file"].as<std::string>();
    auto key = cfg["listen"]["tls"]["key_file"].as<std::string>();
    CHECK(dirname(cert) == dirname(key));
    CHECK(basename(cert) == "tls.crt");
    CHECK(basename(key) == "tls.key");
    bool mounted = false;
    for (const auto& m : pod.pcbridge["volumeMounts"]) {
      if (m["mountPath"].as<std::string>() != dirname(cert)) continue;
      auto v = volume(pod.pod_spec, m["name"].as<std::string>());
      REQUIRE(v["secret"]);
      CHECK(m["readOnly"].as<bool>());
      mounted = true;
    }
    CHECK(mounted);
  }

  SUBCASE("rate limit through the Redis Service of this manifest") {
    REQUIRE(cfg["rate_limit"]);
    CHECK(cfg["rate_limit"]["backend"].as<std::string>() == "redis");
    auto url = cfg["rate_limit"]["redis_url"].as<std::string>();
    REQUIRE(starts_with(url, "redis://"));
    auto authority = url.substr(8, url.find('/', 8) - 8);
    auto colon = authority.rfind(':');
    auto host = authority.substr(0, colon);
    int port = colon == std::string::npos ? 6379 : std::stoi(authority.substr(colon + 1));

    auto svc = named(docs, "Service", host);
    bool port_ok = false;
    for (const auto& p : svc["spec"]["ports"]) port_ok = port_ok || p["port"].as<int>() == port;
    CHECK_MESSAGE(port_ok, "Service " << host << " has no port " << port);
    bool redis_behind = false;
    for (const auto& d : of_kind(docs, "Deployment")) {
      auto t = d["spec"]["template"];
      if (!selects(svc["spec"]["selector"], t["metadata"]["labels"])) continue;
      for (const auto& c : t["spec"]["containers"]) {
        if (!starts_with(c["image"].as<std::string>(), "redis:")) continue;
        redis_behind = true;
        int target = resolve_port(c, svc["spec"]["ports"][0]["targetPort"]);
        CHECK(target == 6379);
        check_hardened(t["spec"], c);
        check_resources(c);
      }
    }
    CHECK_MESSAGE(redis_behind, "Service " << host << " selects no Redis Deployment");
  }

  SUBCASE("client Service on 8080 only; admin 9901 on a port named admin") {
    bool client_svc = false, admin_svc = false;
    for (const auto& s : of_kind(docs, "Service")) {
      if (!selects(s["spec"]["selector"], labels)) continue;
      std::set<int> ports;
      for (const auto& p : s["spec"]["ports"]) {
        int target = resolve_port(pod.pcbridge, p["targetPort"] ? p["targetPort"] : p["port"]);
        ports.insert(target);
        if (target == admin_port) CHECK(p["name"].as<std::string>() == "admin");
      }
      if (ports.count(client_port)) {
        client_svc = true;
        CHECK_MESSAGE(ports == std::set<int>{client_port}, "the client Service also exposes the admin port");
      }
      if (ports.count(admin_port)) admin_svc = true;
    }
    CHECK(client_svc);
    CHECK(admin_svc);
  }

  SUBCASE("PodDisruptionBudget keeps one replica") {
    auto pdbs = of_kind(docs, "PodDisruptionBudget");
    REQUIRE(pdbs.size() == 1);
    CHECK(pdbs[0]["spec"]["minAvailable"].as<int>() >= 1);
    CHECK(pdbs[0]["spec"]["minAvailable"].as<int>() < dep["spec"]["replicas"].as<int>());
    CHECK(selects(pdbs[0]["spec"]["selector"]["matchLabels"], labels));
  }

  SUBCASE("the gateway is a plain container with a preStop sleep inside the grace period") {
    CHECK_FALSE(pod.native_sidecar);
    CHECK(prestop_sleep_s(pod.pcbridge) > 0);
  }

  for (const auto& s : of_kind(docs, "Secret")) {
    CHECK_FALSE(s["data"]);
    CHECK_FALSE(s["stringData"]);
  }
}

