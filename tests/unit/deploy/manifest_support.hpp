#pragma once
// Helpers of the deployment-file tests (test_manifests*.cpp): reading files of the source tree,
// small string helpers, the lookup of a YAML path, and the checks every shipped pcbridge config
// must pass (ports, listener security, admin protection, secrets only through *_file).
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace manifest_test {

constexpr int client_port = 8080;
constexpr int admin_port = 9901;
constexpr int pcbridge_uid = 10001;
constexpr long default_drain_timeout_ms = 20000;
inline const std::string config_path = "/etc/pcbridge/pcbridge.yaml";

inline std::string source_path(const std::string& rel) { return std::string(PCBRIDGE_SOURCE_DIR) + "/" + rel; }

inline std::string read_text(const std::string& rel) {
  std::ifstream in(source_path(rel), std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << rel);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
inline std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}
inline std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}
inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
inline std::string dirname(const std::string& path) { return path.substr(0, path.rfind('/')); }
inline std::string basename(const std::string& path) { return path.substr(path.rfind('/') + 1); }
inline bool under(const std::string& path, const std::string& dir) { return starts_with(path, dir + "/"); }

// n[k1][k2]... without yaml-cpp's throw on a missing intermediate key: an undefined node (false
// in a condition) when any step is absent. Only const lookups, which never insert.
inline YAML::Node get(const YAML::Node& n, std::initializer_list<const char*> path) {
  YAML::Node cur(n);
  for (const char* key : path) {
    if (!cur || !cur.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& here = cur;
    YAML::Node next = here[key];
    if (!next) return YAML::Node(YAML::NodeType::Undefined);
    cur.reset(next);  // rebinds; operator= would overwrite the document's node
  }
  return cur;
}

// ---------------------------------------------------------------- pcbridge configs

struct file_ref {
  std::string key_path;  // e.g. clients[0].client_secret_file
  std::string path;
};

// Calls fn(path, key, value) for every mapping entry, depth first.
inline void walk(const YAML::Node& node, const std::string& at,
          const std::function<void(const std::string&, const std::string&, const YAML::Node&)>& fn) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      auto path = at.empty() ? key : at + "." + key;
      fn(path, key, kv.second);
      walk(kv.second, path, fn);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], at + "[" + std::to_string(i) + "]", fn);
  }
}

inline bool is_secret_key(const std::string& key) {
  for (const char* stem : {"password", "client_secret", "api_key", "secret"})
    if (starts_with(key, stem)) return true;
  return key == "token" || key == "token_env" || key == "token_file";  // admin.token; not upstream.token_url
}

// An admin listener off loopback serves metrics and client usage: the shipped configs protect
// it with a bearer token read from a file (a mounted Secret or a systemd credential).
inline void check_admin_protected(const YAML::Node& cfg, const std::string& name) {
  auto address = cfg["admin"]["address"] ? cfg["admin"]["address"].as<std::string>() : std::string("127.0.0.1");
  if (starts_with(address, "127.") || address == "::1") return;
  CHECK_MESSAGE(cfg["admin"]["token_file"], name << ": admin listener on " << address << " without admin.token_file");
}

// Secret-bearing keys may only name files (the deployments mount secrets; *_env would put them
// in the Pod spec or unit). Returns every *_file path the config refers to, TLS files included.
inline std::vector<file_ref> check_no_inline_secrets(const YAML::Node& cfg, const std::string& name) {
  std::vector<file_ref> files;
  walk(cfg, "", [&](const std::string& path, const std::string& key, const YAML::Node& value) {
    if (is_secret_key(key)) CHECK_MESSAGE(ends_with(key, "_file"), name << ": " << path << " holds a secret inline");
    if (ends_with(key, "_file") && key != "state_file") {  // usage.state_file is data, not a secret
      REQUIRE_MESSAGE(value.IsScalar(), name << ": " << path);
      auto p = value.as<std::string>();
      CHECK_MESSAGE(starts_with(p, "/"), name << ": " << path << " should be absolute: " << p);
      files.push_back({path, p});
    }
    if (key == "redis_url") CHECK_MESSAGE(value.as<std::string>().find('@') == std::string::npos,
                                          name << ": redis_url carries credentials inline");
  });
  return files;
}

inline long drain_timeout_ms(const YAML::Node& cfg) {
  return cfg["drain_timeout_ms"] ? cfg["drain_timeout_ms"].as<long>() : default_drain_timeout_ms;
}

// The ports every deployment uses: clients on 8080, admin on 9901.
inline void check_ports(const YAML::Node& cfg, const std::string& name) {
  REQUIRE_MESSAGE(cfg["listen"], name);
  REQUIRE_MESSAGE(cfg["admin"], name << ": no admin listener (probes and metrics need it)");
  CHECK(cfg["listen"]["port"].as<int>() == client_port);
  CHECK(cfg["admin"]["port"].as<int>() == admin_port);
}

// A non-loopback client listener needs TLS (pcbridge refuses it otherwise); none of the
// deployments uses allow_plaintext.
inline void check_listener_security(const YAML::Node& cfg, const std::string& name) {
  auto address = cfg["listen"]["address"].as<std::string>();
  bool loopback = starts_with(address, "127.") || address == "::1";
  CHECK_MESSAGE(!cfg["listen"]["allow_plaintext"], name << ": allow_plaintext in a shipped config");
  if (!loopback) {
    REQUIRE_MESSAGE(cfg["listen"]["tls"], name << ": listens on " << address << " without tls");
    CHECK(cfg["listen"]["tls"]["cert_file"]);
    CHECK(cfg["listen"]["tls"]["key_file"]);
  }
}

}  // namespace manifest_test
