// Deployment files (deploy/), the systemd unit and the Dockerfile: they agree with the pcbridge
// config they start on check/reload/drain, credentials, ports and privileges. No container
// engine or systemd is needed: the files are parsed and cross-checked.
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

#include "manifest_support.hpp"

using namespace manifest_test;

namespace {

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
  for (const char* lib : {"libssl3", "libyaml-cpp0.7", "libboost-url1.81.0", "ca-certificates"})
    CHECK_MESSAGE(runtime_runs.find(lib) != std::string::npos, lib);
  // pugixml is linked statically (translators/CMakeLists.txt): the image needs no copy of it.
  CHECK(runtime_runs.find("libpugixml") == std::string::npos);
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
