// Deployment files (deploy/): the Kubernetes manifests, the systemd unit, the Dockerfile and the
// pcbridge configs they carry must agree with each other on the things that break a deployment
// silently: ports, probe paths, where secrets come from, shutdown timing and privileges.
// No container engine or cluster is needed: the files are parsed and cross-checked.
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

namespace {

constexpr int client_port = 8080;
constexpr int admin_port = 9901;
constexpr int pcbridge_uid = 10001;
constexpr long default_drain_timeout_ms = 20000;
const std::string config_path = "/etc/pcbridge/pcbridge.yaml";

std::string source_path(const std::string& rel) { return std::string(PCBRIDGE_SOURCE_DIR) + "/" + rel; }

std::string read_text(const std::string& rel) {
  std::ifstream in(source_path(rel), std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << rel);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}
std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string dirname(const std::string& path) { return path.substr(0, path.rfind('/')); }
std::string basename(const std::string& path) { return path.substr(path.rfind('/') + 1); }
bool under(const std::string& path, const std::string& dir) { return starts_with(path, dir + "/"); }

// n[k1][k2]... without yaml-cpp's throw on a missing intermediate key: an undefined node (false
// in a condition) when any step is absent. Only const lookups, which never insert.
YAML::Node get(const YAML::Node& n, std::initializer_list<const char*> path) {
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
void walk(const YAML::Node& node, const std::string& at,
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

bool is_secret_key(const std::string& key) {
  for (const char* stem : {"password", "client_secret", "api_key", "secret"})
    if (starts_with(key, stem)) return true;
  return key == "token" || key == "token_env" || key == "token_file";  // admin.token; not upstream.token_url
}

// An admin listener off loopback serves metrics and client usage: the shipped configs protect
// it with a bearer token read from a file (a mounted Secret or a systemd credential).
void check_admin_protected(const YAML::Node& cfg, const std::string& name) {
  auto address = cfg["admin"]["address"] ? cfg["admin"]["address"].as<std::string>() : std::string("127.0.0.1");
  if (starts_with(address, "127.") || address == "::1") return;
  CHECK_MESSAGE(cfg["admin"]["token_file"], name << ": admin listener on " << address << " without admin.token_file");
}

// Secret-bearing keys may only name files (the deployments mount secrets; *_env would put them
// in the Pod spec or unit). Returns every *_file path the config refers to, TLS files included.
std::vector<file_ref> check_no_inline_secrets(const YAML::Node& cfg, const std::string& name) {
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

long drain_timeout_ms(const YAML::Node& cfg) {
  return cfg["drain_timeout_ms"] ? cfg["drain_timeout_ms"].as<long>() : default_drain_timeout_ms;
}

// The ports every deployment uses: clients on 8080, admin on 9901.
void check_ports(const YAML::Node& cfg, const std::string& name) {
  REQUIRE_MESSAGE(cfg["listen"], name);
  REQUIRE_MESSAGE(cfg["admin"], name << ": no admin listener (probes and metrics need it)");
  CHECK(cfg["listen"]["port"].as<int>() == client_port);
  CHECK(cfg["admin"]["port"].as<int>() == admin_port);
}

// A non-loopback client listener needs TLS (pcbridge refuses it otherwise); none of the
// deployments uses allow_plaintext.
void check_listener_security(const YAML::Node& cfg, const std::string& name) {
  auto address = cfg["listen"]["address"].as<std::string>();
  bool loopback = starts_with(address, "127.") || address == "::1";
  CHECK_MESSAGE(!cfg["listen"]["allow_plaintext"], name << ": allow_plaintext in a shipped config");
  if (!loopback) {
    REQUIRE_MESSAGE(cfg["listen"]["tls"], name << ": listens on " << address << " without tls");
    CHECK(cfg["listen"]["tls"]["cert_file"]);
    CHECK(cfg["listen"]["tls"]["key_file"]);
  }
}

// ---------------------------------------------------------------- Kubernetes

std::vector<YAML::Node> load_all(const std::string& rel) {
  auto docs = YAML::LoadAllFromFile(source_path(rel));
  std::vector<YAML::Node> out;
  for (auto& d : docs)
    if (d.IsMap()) out.push_back(d);
  return out;
}

std::vector<YAML::Node> of_kind(const std::vector<YAML::Node>& docs, const std::string& kind) {
  std::vector<YAML::Node> out;
  for (const auto& d : docs)
    if (d["kind"] && d["kind"].as<std::string>() == kind) out.push_back(d);
  return out;
}

YAML::Node named(const std::vector<YAML::Node>& docs, const std::string& kind, const std::string& name) {
  for (const auto& d : of_kind(docs, kind))
    if (d["metadata"]["name"].as<std::string>() == name) return d;
  FAIL("no " << kind << " named " << name);
  return {};
}

// Every label of `selector` is on `labels`.
bool selects(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector || !selector.IsMap() || selector.size() == 0) return false;
  for (const auto& kv : selector) {
    auto k = kv.first.as<std::string>();
    if (!labels[k] || labels[k].as<std::string>() != kv.second.as<std::string>()) return false;
  }
  return true;
}

// The container named `name` among containers and initContainers (a native sidecar).
YAML::Node container(const YAML::Node& pod_spec, const std::string& name, bool* is_init = nullptr) {
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

YAML::Node volume(const YAML::Node& pod_spec, const std::string& name) {
  for (const auto& v : pod_spec["volumes"])
    if (v["name"].as<std::string>() == name) return v;
  FAIL("no volume named " << name);
  return {};
}

// Resolves a probe or Service port (number or container port name) to a number.
int resolve_port(const YAML::Node& c, const YAML::Node& port) {
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
bool is_mode_0400(const YAML::Node& mode) {
  if (!mode) return false;
  auto s = mode.Scalar();
  return s == "0400" || s == "0o400" || s == "256";
}

// Seconds a preStop hook sleeps (exec sleep N, or the sleep action); 0 without one.
long prestop_sleep_s(const YAML::Node& c) {
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
YAML::Node security(const YAML::Node& pod_spec, const YAML::Node& c, const std::string& field) {
  if (c["securityContext"] && c["securityContext"][field]) return c["securityContext"][field];
  if (pod_spec["securityContext"] && pod_spec["securityContext"][field]) return pod_spec["securityContext"][field];
  return {};
}

void check_hardened(const YAML::Node& pod_spec, const YAML::Node& c) {
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

void check_resources(const YAML::Node& c) {
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
pod_checked check_pcbridge_workload(const std::vector<YAML::Node>& docs, const std::string& deployment,
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

// ---------------------------------------------------------------- systemd

struct unit_file {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> sections;

  std::vector<std::string> all(const std::string& section, const std::string& key) const {
    std::vector<std::string> out;
    auto it = sections.find(section);
    if (it == sections.end()) return out;
    for (const auto& [k, v] : it->second)
      if (k == key) out.push_back(v);
    return out;
  }
  // The effective value of a single-valued key: the last assignment wins.
  std::optional<std::string> last(const std::string& section, const std::string& key) const {
    auto v = all(section, key);
    if (v.empty()) return std::nullopt;
    return v.back();
  }
};

unit_file parse_unit(const std::string& text) {
  unit_file u;
  std::string section, pending;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    auto line = trim(raw);
    if (!pending.empty()) {
      line = pending + " " + line;
      pending.clear();
    }
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.back() == '\\') {
      pending = trim(line.substr(0, line.size() - 1));
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    auto eq = line.find('=');
    REQUIRE_MESSAGE(eq != std::string::npos, "not key=value: " << line);
    REQUIRE_MESSAGE(!section.empty(), "key outside a section: " << line);
    u.sections[section].emplace_back(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
  }
  return u;
}

// systemd time span: "30", "30s", "1min", "1min 30s", "500ms".
long timespan_ms(const std::string& s) {
  long total = 0;
  for (const auto& word : split_ws(s)) {
    std::size_t i = 0;
    while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
    REQUIRE_MESSAGE(i > 0, "bad time span " << s);
    long n = std::stol(word.substr(0, i));
    auto unit = word.substr(i);
    if (unit.empty() || unit == "s" || unit == "sec") total += n * 1000;
    else if (unit == "ms" || unit == "msec") total += n;
    else if (unit == "m" || unit == "min") total += n * 60000;
    else FAIL("unknown time unit in " << s);
  }
  return total;
}

// ---------------------------------------------------------------- Dockerfile

struct instruction {
  std::string op;    // upper case
  std::string args;  // continuation lines joined
};

std::vector<instruction> parse_dockerfile(const std::string& text) {
  std::vector<instruction> out;
  std::string acc;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    auto line = trim(raw);
    if (line.empty() || line[0] == '#') continue;  // comments may sit inside continuations too
    bool more = line.back() == '\\';
    if (more) line.pop_back();
    acc += (acc.empty() ? "" : " ") + trim(line);
    if (more) continue;
    auto sp = acc.find_first_of(" \t");
    instruction ins;
    for (char ch : acc.substr(0, sp)) ins.op += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    ins.args = sp == std::string::npos ? "" : trim(acc.substr(sp));
    out.push_back(ins);
    acc.clear();
  }
  return out;
}

std::string without_spaces(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch); }), s.end());
  return s;
}

}  // namespace

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

TEST_CASE("systemd unit: check, reload, drain, credentials, hardening") {
  auto unit = parse_unit(read_text("deploy/systemd/pcbridge.service"));
  auto cfg = YAML::LoadFile(source_path("deploy/config/systemd.yaml"));
  const std::string svc = "Service";
  auto is = [&](const std::string& key, const std::string& want) {
    auto v = unit.last(svc, key);
    CHECK_MESSAGE((v && *v == want), key << "=" << want << " wanted, got " << (v ? *v : "(unset)"));
  };

  // Runs unprivileged.
  auto dynamic = unit.last(svc, "DynamicUser");
  auto user = unit.last(svc, "User");
  CHECK_MESSAGE(((dynamic && *dynamic == "yes") || (user && *user != "root" && *user != "0")),
                "neither DynamicUser=yes nor a non-root User=");

  // Start, check, reload, stop.
  is("ExecStartPre", "/usr/local/bin/pcbridge --check-config " + config_path);
  is("ExecStart", "/usr/local/bin/pcbridge --config " + config_path);
  auto reloads = unit.all(svc, "ExecReload");
  REQUIRE_FALSE(reloads.empty());
  CHECK(reloads.back() == "/bin/kill -HUP $MAINPID");
  is("KillSignal", "SIGTERM");
  is("Restart", "on-failure");
  auto stop = unit.last(svc, "TimeoutStopSec");
  REQUIRE(stop);
  CHECK(timespan_ms(*stop) > drain_timeout_ms(cfg));

  // Each *_file of the config is a credential of this unit, loaded from a root-only directory:
  // ID:FILE gives credential ID; ID:DIRECTORY gives ID_<name> for every file in it (systemd.exec),
  // which is how the shipped unit serves any number of clients, with or without TLS.
  std::map<std::string, std::string> creds;
  for (const auto& lc : unit.all(svc, "LoadCredential")) {
    auto colon = lc.find(':');
    REQUIRE(colon != std::string::npos);
    const std::string path = lc.substr(colon + 1);
    creds[lc.substr(0, colon)] = path;
    CHECK((path == "/etc/pcbridge/secrets" || under(path, "/etc/pcbridge/secrets")));  // the directory or a file in it
  }
  const auto loaded = [&](const std::string& name) {
    if (creds.count(name)) return true;
    for (const auto& [id, path] : creds)
      if (path == "/etc/pcbridge/secrets" && starts_with(name, id + "_") && name.size() > id.size() + 1) return true;
    return false;
  };
  std::size_t secret_files = 0;
  for (const auto& f : check_no_inline_secrets(cfg, "deploy/config/systemd.yaml")) {
    INFO(f.key_path << " = " << f.path);
    CHECK(dirname(f.path) == "/run/credentials/pcbridge.service");
    CHECK(loaded(basename(f.path)));
    ++secret_files;
  }
  CHECK(secret_files >= 7);  // two clients' three secrets and the admin token
  // Plain HTTP on loopback needs no TLS credential; the unit names none.
  CHECK(cfg["listen"]["address"].as<std::string>() == "127.0.0.1");
  CHECK_FALSE(cfg["listen"]["tls"]);
  for (const auto& [id, path] : creds) CHECK(path.find("tls") == std::string::npos);
  // Several clients, each with its own credential files; the admin token is a credential too.
  REQUIRE(cfg["clients"].size() >= 2);
  REQUIRE(get(cfg, {"admin", "token_file"}));
  CHECK(loaded(basename(cfg["admin"]["token_file"].as<std::string>())));
  // The usage report's state file lives in the unit's StateDirectory (writable, kept across restarts).
  is("StateDirectory", "pcbridge");
  REQUIRE(get(cfg, {"usage", "state_file"}));
  CHECK(dirname(cfg["usage"]["state_file"].as<std::string>()) == "/var/lib/pcbridge");

  // Hardening.
  for (const char* key : {"NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                          "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "RestrictNamespaces",
                          "LockPersonality", "MemoryDenyWriteExecute"})
    is(key, "yes");
  is("ProtectSystem", "strict");
  is("SystemCallArchitectures", "native");
  is("CapabilityBoundingSet", "");
  is("AmbientCapabilities", "");
  auto families = unit.last(svc, "RestrictAddressFamilies");
  REQUIRE(families);
  auto family_list = split_ws(*families);
  CHECK(std::set<std::string>{"AF_INET", "AF_INET6", "AF_UNIX"} ==
        std::set<std::string>(family_list.begin(), family_list.end()));
  auto ro = unit.all(svc, "ReadOnlyPaths");
  CHECK(std::find(ro.begin(), ro.end(), "/etc/pcbridge") != ro.end());
  CHECK_FALSE(unit.last(svc, "Environment"));  // secrets come as credentials, not environment
}

TEST_CASE("systemd unit parser: sections, repeated keys, empty values, continuations") {
  auto u = parse_unit("# c\n[Service]\nA=1\nA=2\nB=\nC=x \\\n  y\n; c\n[Install]\nA=3\n");
  CHECK(u.all("Service", "A") == std::vector<std::string>{"1", "2"});
  CHECK(*u.last("Service", "B") == "");
  CHECK(*u.last("Service", "C") == "x y");
  CHECK(*u.last("Install", "A") == "3");
  CHECK(timespan_ms("1min 30s") == 90000);
  CHECK(timespan_ms("30") == 30000);
}

TEST_CASE("Dockerfile: bookworm stages, non-root, no secrets, ports, entrypoint") {
  auto ins = parse_dockerfile(read_text("deploy/Dockerfile"));
  std::vector<std::size_t> froms;
  for (std::size_t i = 0; i < ins.size(); ++i)
    if (ins[i].op == "FROM") froms.push_back(i);
  REQUIRE(froms.size() >= 2);
  for (auto i : froms) CHECK_MESSAGE(ins[i].args.find("bookworm") != std::string::npos, "FROM " << ins[i].args);
  const auto runtime_from = froms.back();
  auto in_runtime = [&](const std::string& op) {
    std::vector<std::string> out;
    for (auto i = runtime_from; i < ins.size(); ++i)
      if (ins[i].op == op) out.push_back(ins[i].args);
    return out;
  };
  auto everywhere = [&](const std::string& op) {
    std::vector<std::string> out;
    for (const auto& x : ins)
      if (x.op == op) out.push_back(x.args);
    return out;
  };

  // Build stage: the documented build.
  std::string build_runs;
  for (auto i = froms[0]; i < runtime_from; ++i)
    if (ins[i].op == "RUN") build_runs += ins[i].args + "\n";
  CHECK(build_runs.find("deploy/install-deps.sh") != std::string::npos);
  CHECK(build_runs.find("-DCMAKE_BUILD_TYPE=Release") != std::string::npos);
  CHECK(build_runs.find("-DPCBRIDGE_BUILD_TESTS=OFF") != std::string::npos);
  CHECK(build_runs.find("--target pcbridge") != std::string::npos);

  // The build copies source directories one by one: each top-level add_subdirectory() that the
  // pcbridge target needs (outside if(PCBRIDGE_BUILD_TESTS)) must be copied.
  std::map<std::string, std::string> copied;  // source -> destination, trailing '/' removed
  auto strip_slash = [](std::string w) {
    while (w.size() > 1 && w.back() == '/') w.pop_back();
    return w;
  };
  for (const auto& c : everywhere("COPY")) {
    std::vector<std::string> words;
    for (const auto& w : split_ws(c))
      if (!starts_with(w, "--")) words.push_back(w);
    if (starts_with(c, "--from=") || words.size() != 2) continue;
    copied[strip_slash(words[0])] = strip_slash(words[1]);
  }
  CHECK((copied["CMakeLists.txt"] == "." || copied["CMakeLists.txt"] == "CMakeLists.txt"));
  std::istringstream cmake(read_text("CMakeLists.txt"));
  int depth = 0;
  for (std::string line; std::getline(cmake, line);) {
    line = trim(line);
    if (starts_with(line, "if(")) ++depth;
    if (starts_with(line, "endif(")) --depth;
    if (depth == 0 && starts_with(line, "add_subdirectory(")) {
      auto dir = line.substr(17, line.find(')') - 17);
      CHECK_MESSAGE(copied[dir] == dir, "deploy/Dockerfile does not COPY " << dir << "/ " << dir << "/");
    }
  }

  // Runtime stage: libraries only, lists cleaned, binary from the build stage, not root.
  std::string runtime_runs;
  for (const auto& r : in_runtime("RUN")) runtime_runs += r + "\n";
  CHECK(runtime_runs.find("--no-install-recommends") != std::string::npos);
  CHECK(runtime_runs.find("rm -rf /var/lib/apt/lists") != std::string::npos);
  for (const char* lib : {"libssl3", "libyaml-cpp0.7", "libpugixml1v5", "libboost-url1.81.0", "ca-certificates"})
    CHECK_MESSAGE(runtime_runs.find(lib) != std::string::npos, lib);
  for (const char* build_only : {"-dev", "build-essential", "cmake", "install-deps.sh"})
    CHECK_MESSAGE(runtime_runs.find(build_only) == std::string::npos, build_only << " in the runtime stage");
  bool binary_copied = false;
  for (const auto& c : in_runtime("COPY"))
    binary_copied = binary_copied || (starts_with(c, "--from=") && ends_with(c, "/usr/local/bin/pcbridge"));
  CHECK(binary_copied);

  auto users = in_runtime("USER");
  REQUIRE_FALSE(users.empty());
  auto user = users.back().substr(0, users.back().find(':'));
  CHECK(user != "root");
  CHECK(user != "0");
  CHECK(user == std::to_string(pcbridge_uid));  // matches runAsUser in deploy/k8s

  // No secret enters the image.
  for (const auto& op : {std::string("COPY"), std::string("ADD")})
    for (const auto& c : everywhere(op)) {
      auto l = lower(c);
      for (const char* bad : {"secret", "credential", "password", ".pem", ".key", ".env", "id_rsa", "/run/secrets"})
        CHECK_MESSAGE(l.find(bad) == std::string::npos, op << " " << c);
    }
  CHECK(everywhere("ADD").empty());
  for (const auto& op : {std::string("ENV"), std::string("ARG")})
    for (const auto& e : everywhere(op)) {
      auto l = lower(e);
      for (const char* bad : {"secret", "password", "token", "api_key", "apikey"})
        CHECK_MESSAGE(l.find(bad) == std::string::npos, op << " " << e);
    }

  // Ports, signal, entrypoint.
  std::set<std::string> exposed;
  for (const auto& e : in_runtime("EXPOSE"))
    for (const auto& p : split_ws(e)) exposed.insert(p.substr(0, p.find('/')));
  CHECK(exposed == std::set<std::string>{std::to_string(client_port), std::to_string(admin_port)});
  REQUIRE(in_runtime("STOPSIGNAL").size() == 1);
  CHECK(in_runtime("STOPSIGNAL")[0] == "SIGTERM");
  REQUIRE(in_runtime("ENTRYPOINT").size() == 1);
  CHECK(without_spaces(in_runtime("ENTRYPOINT")[0]) == R"(["pcbridge"])");
  REQUIRE(in_runtime("CMD").size() == 1);
  CHECK(without_spaces(in_runtime("CMD")[0]) == R"(["--config","/etc/pcbridge/pcbridge.yaml"])");
  for (const auto& h : in_runtime("HEALTHCHECK")) {
    CHECK(h.find(std::to_string(admin_port)) != std::string::npos);
    CHECK(h.find("/healthz") != std::string::npos);
  }
}
