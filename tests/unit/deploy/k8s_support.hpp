#pragma once
// Helpers of the Kubernetes manifest tests (test_manifests_k8s.cpp): documents by kind and name,
// containers, volumes, ports, and the checks of the pcbridge workload of any manifest.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "manifest_support.hpp"

namespace manifest_test {

// ---------------------------------------------------------------- Kubernetes

inline std::vector<YAML::Node> load_all(const std::string& rel) {
  auto docs = YAML::LoadAllFromFile(source_path(rel));
  std::vector<YAML::Node> out;
  for (auto& d : docs)
    if (d.IsMap()) out.push_back(d);
  return out;
}

inline std::vector<YAML::Node> of_kind(const std::vector<YAML::Node>& docs, const std::string& kind) {
  std::vector<YAML::Node> out;
  for (const auto& d : docs)
    if (d["kind"] && d["kind"].as<std::string>() == kind) out.push_back(d);
  return out;
}

inline YAML::Node named(const std::vector<YAML::Node>& docs, const std::string& kind, const std::string& name) {
  for (const auto& d : of_kind(docs, kind))
    if (d["metadata"]["name"].as<std::string>() == name) return d;
  FAIL("no " << kind << " named " << name);
  return {};
}

// Every label of `selector` is on `labels`.
inline bool selects(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector || !selector.IsMap() || selector.size() == 0) return false;
  for (const auto& kv : selector) {
    auto k = kv.first.as<std::string>();
    if (!labels[k] || labels[k].as<std::string>() != kv.second.as<std::string>()) return false;
  }
  return true;
}

// The container named `name` among containers and initContainers (a native sidecar).
inline YAML::Node container(const YAML::Node& pod_spec, const std::string& name, bool* is_init = nullptr) {
  for (const char* list : {"containers", "initContainers"}) {
    if (!pod_spec[list]) continue;
    for (const auto& c : pod_spec[list])
      if (c["name"].as<std::string>() == name) {
        if (is_init) *is_init = std::string(list) == "initContainers";
        return c;
      }
  }
  FAIL("no container named " << name);
  return {};
}

inline YAML::Node volume(const YAML::Node& pod_spec, const std::string& name) {
  for (const auto& v : pod_spec["volumes"])
    if (v["name"].as<std::string>() == name) return v;
  FAIL("no volume named " << name);
  return {};
}

// Resolves a probe or Service port (number or container port name) to a number.
inline int resolve_port(const YAML::Node& c, const YAML::Node& port) {
  try {
    return port.as<int>();
  } catch (const YAML::Exception&) {
  }
  auto name = port.as<std::string>();
  for (const auto& p : c["ports"])
    if (p["name"] && p["name"].as<std::string>() == name) return p["containerPort"].as<int>();
  FAIL("no container port named " << name);
  return -1;
}

// Secret file mode 0400, however the YAML writer spelled it.
inline bool is_mode_0400(const YAML::Node& mode) {
  if (!mode) return false;
  auto s = mode.Scalar();
  return s == "0400" || s == "0o400" || s == "256";
}

// Seconds a preStop hook sleeps (exec sleep N, or the sleep action); 0 without one.
inline long prestop_sleep_s(const YAML::Node& c) {
  auto pre = get(c, {"lifecycle", "preStop"});
  if (!pre) return 0;
  if (pre["sleep"]) return pre["sleep"]["seconds"].as<long>();
  if (pre["exec"]) {
    auto cmd = pre["exec"]["command"];
    REQUIRE(cmd.size() >= 2);
    CHECK(ends_with(cmd[0].as<std::string>(), "sleep"));
    return cmd[1].as<long>();
  }
  FAIL("preStop hook that is neither sleep nor exec sleep");
  return 0;
}

// A field of the container's securityContext, falling back to the Pod's.
inline YAML::Node security(const YAML::Node& pod_spec, const YAML::Node& c, const std::string& field) {
  if (c["securityContext"] && c["securityContext"][field]) return c["securityContext"][field];
  if (pod_spec["securityContext"] && pod_spec["securityContext"][field]) return pod_spec["securityContext"][field];
  return {};
}

inline void check_hardened(const YAML::Node& pod_spec, const YAML::Node& c) {
  auto who = c["name"].as<std::string>();
  INFO("container " << who);
  auto non_root = security(pod_spec, c, "runAsNonRoot");
  REQUIRE(non_root);
  CHECK(non_root.as<bool>());
  auto uid = security(pod_spec, c, "runAsUser");
  REQUIRE(uid);
  CHECK(uid.as<int>() != 0);
  REQUIRE(c["securityContext"]);
  const auto& sc = c["securityContext"];
  REQUIRE(sc["readOnlyRootFilesystem"]);
  CHECK(sc["readOnlyRootFilesystem"].as<bool>());
  REQUIRE(sc["allowPrivilegeEscalation"]);
  CHECK_FALSE(sc["allowPrivilegeEscalation"].as<bool>());
  auto drop = get(sc, {"capabilities", "drop"});
  REQUIRE(drop);
  bool drops_all = false;
  for (const auto& cap : drop) drops_all = drops_all || cap.as<std::string>() == "ALL";
  CHECK(drops_all);
  CHECK_FALSE((sc["privileged"] && sc["privileged"].as<bool>()));
  CHECK_FALSE(get(sc, {"capabilities", "add"}));
}

inline void check_resources(const YAML::Node& c) {
  INFO("container " << c["name"].as<std::string>());
  for (const char* kind : {"requests", "limits"})
    for (const char* res : {"cpu", "memory"}) CHECK_MESSAGE(get(c, {"resources", kind, res}), kind << "." << res);
}

struct pod_checked {
  YAML::Node pod_spec;
  YAML::Node pcbridge;
  YAML::Node config;
  bool native_sidecar = false;
};

// Everything the pcbridge container of any manifest must get right. `config_rel` is the
// deploy/config file its ConfigMap must carry verbatim.
inline pod_checked check_pcbridge_workload(const std::vector<YAML::Node>& docs, const std::string& deployment,
                                    const std::string& config_rel) {
  pod_checked out;
  auto dep = named(docs, "Deployment", deployment);
  auto tmpl = dep["spec"]["template"];
  CHECK_MESSAGE(selects(dep["spec"]["selector"]["matchLabels"], tmpl["metadata"]["labels"]),
                deployment << ": selector does not match the Pod labels");
  out.pod_spec = tmpl["spec"];
  out.pcbridge = container(out.pod_spec, "pcbridge", &out.native_sidecar);
  const auto& spec = out.pod_spec;
  const auto& c = out.pcbridge;
  if (out.native_sidecar) {
    REQUIRE_MESSAGE(c["restartPolicy"], "an init container without restartPolicy: Always never completes");
    CHECK(c["restartPolicy"].as<std::string>() == "Always");
  }

  // Args and the config volume: the ConfigMap mounted read-only as a directory at /etc/pcbridge.
  REQUIRE(c["args"]);
  CHECK(c["args"].size() == 2);
  CHECK(c["args"][0].as<std::string>() == "--config");
  CHECK(c["args"][1].as<std::string>() == config_path);
  std::string config_map_name;
  std::map<std::string, YAML::Node> mounts;  // mountPath -> volume
  for (const auto& m : c["volumeMounts"]) {
    auto mount_path = m["mountPath"].as<std::string>();
    auto v = volume(spec, m["name"].as<std::string>());
    // Only the usage state file's emptyDir may be writable.
    const bool state_dir = v["emptyDir"] && get(YAML::Load(read_text(config_rel)), {"usage", "state_file"}) &&
                           dirname(YAML::Load(read_text(config_rel))["usage"]["state_file"].as<std::string>()) == mount_path;
    CHECK_MESSAGE((state_dir || (m["readOnly"] && m["readOnly"].as<bool>())), mount_path << " is not mounted readOnly");
    CHECK_MESSAGE(!m["subPath"], mount_path << ": subPath mounts never see ConfigMap/Secret updates");
    mounts.emplace(mount_path, v);
    if (mount_path == dirname(config_path)) {
      REQUIRE_MESSAGE(v["configMap"], "/etc/pcbridge is not a ConfigMap volume");
      config_map_name = v["configMap"]["name"].as<std::string>();
    }
  }
  REQUIRE_MESSAGE(!config_map_name.empty(), "nothing mounted at " << dirname(config_path));
  auto cm = named(docs, "ConfigMap", config_map_name);
  auto text = get(cm, {"data", "pcbridge.yaml"});
  CHECK(basename(config_path) == "pcbridge.yaml");
  REQUIRE_MESSAGE(text, "ConfigMap " << config_map_name << " has no " << basename(config_path));
  CHECK_MESSAGE(text.as<std::string>() == read_text(config_rel),
                "ConfigMap " << config_map_name << " differs from " << config_rel);
  out.config = YAML::Load(text.as<std::string>());
  const auto& cfg = out.config;
  check_ports(cfg, config_rel);
  check_listener_security(cfg, config_rel);
  check_admin_protected(cfg, config_rel);

  // Secrets: every *_file lies in a read-only Secret volume, mode 0400, whose items list it.
  bool any_0400_secret = false;
  for (const auto& f : check_no_inline_secrets(cfg, config_rel)) {
    INFO(f.key_path << " = " << f.path);
    auto it = mounts.find(dirname(f.path));
    REQUIRE_MESSAGE(it != mounts.end(), "no volume mounted at " << dirname(f.path));
    const auto& v = it->second;
    REQUIRE_MESSAGE(v["secret"], dirname(f.path) << " is not a Secret volume");
    CHECK(is_mode_0400(v["secret"]["defaultMode"]));
    any_0400_secret = any_0400_secret || is_mode_0400(v["secret"]["defaultMode"]);
    if (v["secret"]["items"]) {
      bool listed = false;
      for (const auto& item : v["secret"]["items"]) listed = listed || item["path"].as<std::string>() == basename(f.path);
      CHECK_MESSAGE(listed, basename(f.path) << " is not among the items of Secret "
                                             << v["secret"]["secretName"].as<std::string>());
    }
  }
  // usage.state_file lies in a writable emptyDir of this container (the root filesystem is read-only).
  if (auto state = get(cfg, {"usage", "state_file"})) {
    auto it = mounts.find(dirname(state.as<std::string>()));
    REQUIRE_MESSAGE(it != mounts.end(), "no volume mounted at " << dirname(state.as<std::string>()));
    CHECK_MESSAGE(it->second["emptyDir"], dirname(state.as<std::string>()) << " is not an emptyDir");
  } else {
    CHECK_MESSAGE(cfg["rate_limit"]["backend"].as<std::string>() == "redis",
                  config_rel << ": the usage report would live in memory only (no usage.state_file, no redis)");
  }

  // Root-owned 0400 files are unreadable for uid 10001 unless fsGroup makes them group-readable.
  if (any_0400_secret) CHECK_MESSAGE(get(spec, {"securityContext", "fsGroup"}), "0400 secrets need the Pod's fsGroup");

  // Ports and probes agree with the config.
  std::set<int> declared;
  for (const auto& p : c["ports"]) declared.insert(p["containerPort"].as<int>());
  CHECK(declared == std::set<int>{cfg["listen"]["port"].as<int>(), cfg["admin"]["port"].as<int>()});
  auto http_probe = [&](const char* probe, const std::string& path) {
    INFO(probe);
    REQUIRE(c[probe]);
    REQUIRE(c[probe]["httpGet"]);
    CHECK(c[probe]["httpGet"]["path"].as<std::string>() == path);
    CHECK(resolve_port(c, c[probe]["httpGet"]["port"]) == admin_port);
    CHECK(resolve_port(c, c[probe]["httpGet"]["port"]) == cfg["admin"]["port"].as<int>());
  };
  // The probes reach the routes that need no admin token, and send none (a token in the Pod
  // spec would be a secret outside the Secret).
  for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"})
    CHECK_MESSAGE(!get(c, {probe, "httpGet", "httpHeaders"}), probe << " sends headers");
  http_probe("readinessProbe", "/readyz");
  http_probe("livenessProbe", "/healthz");
  if (c["startupProbe"]) http_probe("startupProbe", "/healthz");

  // Shutdown: preStop sleep, then the drain, all inside the grace period.
  REQUIRE(spec["terminationGracePeriodSeconds"]);
  auto grace_ms = spec["terminationGracePeriodSeconds"].as<long>() * 1000;
  CHECK(grace_ms > drain_timeout_ms(cfg) + prestop_sleep_s(c) * 1000);

  check_hardened(spec, c);
  CHECK(security(spec, c, "runAsUser").as<int>() == pcbridge_uid);
  check_resources(c);
  return out;
}
}  // namespace manifest_test
