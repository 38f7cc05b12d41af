// deploy/config/systemd.yaml, as the shipped unit runs it (issue 12 item 3, issue 13 item 6):
// plain HTTP on loopback without any TLS credential, two clients, the admin token from a
// credential file, the usage state in the StateDirectory. The test plays systemd: it puts the
// credentials where LoadCredential=secret:/etc/pcbridge/secrets would (one file per
// secret_<name>) and the state directory under a temporary root, then asks pcbridge itself.
#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "release_util.hpp"

using namespace release_test;

namespace {

const std::string credentials_dir = "/run/credentials/pcbridge.service";
const std::string state_dir = "/var/lib/pcbridge";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

// Every credential the config names (secret_<name> under the credentials directory), comments
// (the commented-out TLS example) left out.
std::set<std::string> credential_names(const std::string& yaml) {
  std::set<std::string> names;
  const std::regex path(credentials_dir + "/(secret_[A-Za-z0-9_.-]+)");
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] == '#') continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), path); it != std::sregex_iterator(); ++it)
      names.insert((*it)[1]);
  }
  return names;
}

}  // namespace

TEST_CASE("systemd config: passes pcbridge --check-config with only the credentials it names, none of them TLS") {
  const std::string root = std::filesystem::temp_directory_path().string() + "/pcbridge-systemd-test-" +
                           std::to_string(::getpid());
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root + "/credentials");
  std::filesystem::create_directories(root + "/state");
  const std::string shipped = slurp(source_path("deploy/config/systemd.yaml"));
  const auto names = credential_names(shipped);
  CHECK(names == std::set<std::string>{"secret_admin-token", "secret_legacy-app-api-key",
                                       "secret_legacy-app-client-secret", "secret_legacy-app-password",
                                       "secret_reporting-job-api-key", "secret_reporting-job-client-secret",
                                       "secret_reporting-job-password"});
  for (const auto& name : names) std::ofstream(root + "/credentials/" + name) << "value-of-" << name << "-0123456789";
  const std::string config = root + "/pcbridge.yaml";
  std::ofstream(config) << replace_all(replace_all(shipped, credentials_dir, root + "/credentials"), state_dir,
                                       root + "/state");

  const run_result r = run(quote(pcbridge()) + " --check-config " + quote(config), 20);
  CHECK_MESSAGE(r.code == 0, r.out << r.err);
  CHECK_FALSE(contains(r.out + r.err, "warn"));  // loopback listeners: nothing to warn about
  CHECK_FALSE(contains(r.out + r.err, "value-of-"));  // no secret echoed

  const YAML::Node cfg = YAML::LoadFile(config);
  CHECK(cfg["clients"].size() == 2);
  CHECK_FALSE(cfg["listen"]["tls"]);
  CHECK(cfg["usage"]["state_file"].as<std::string>() == root + "/state/usage.json");
  std::filesystem::remove_all(root);
}

TEST_CASE("systemd unit: systemd-analyze verify accepts it (where systemd-analyze is installed)") {
  if (run("command -v systemd-analyze").code != 0) {
    MESSAGE("systemd-analyze not installed: tests/unit/deploy/test_manifests.cpp's structure check only");
    return;
  }
  // The unit names /usr/local/bin/pcbridge, which verify requires to exist: point it at the build.
  const std::string dir = std::filesystem::temp_directory_path().string() + "/pcbridge-unit-test-" +
                          std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/pcbridge.service")
      << replace_all(slurp(source_path("deploy/systemd/pcbridge.service")), "/usr/local/bin/pcbridge", pcbridge());
  const run_result r = run("systemd-analyze verify " + quote(dir + "/pcbridge.service"), 30);
  std::filesystem::remove_all(dir);
  CHECK_MESSAGE(r.code == 0, r.out << r.err);
  CHECK_MESSAGE(r.err.empty(), r.err);  // no warning either (unknown key, bad value)
}
