// scripts/demo.sh tells the truth: it says "listening" only once pcbridge answers its own
// /healthz, and when pcbridge cannot bind it exits non-zero naming the address, with pcbridge's
// own message (the address and the system's reason, no Boost internals).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "release_util.hpp"

using namespace release_test;

namespace {

// A listening loopback socket on a free port, held for the test's duration.
struct occupied_port {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  occupied_port() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~occupied_port() { ::close(fd); }
};

int free_port() { return occupied_port().port; }  // free again once returned (a small race, loopback only)

std::string demo_env(int proxy_port, int admin_port, int sim_port) {
  return "DEMO_SKIP_BUILD=1 DEMO_BUILD_DIR=" + quote(PCBRIDGE_BINARY_DIR) + " PCBRIDGE_PORT=" + std::to_string(proxy_port) +
         " ADMIN_PORT=" + std::to_string(admin_port) + " SIM_PORT=" + std::to_string(sim_port) + " ";
}

}  // namespace

TEST_CASE("bind failure: pcbridge names the address and the reason, exits 1") {
  occupied_port busy;
  const std::string config = std::filesystem::temp_directory_path().string() + "/pcbridge-bind-test.yaml";
  std::string yaml = slurp(source_path("config/demo.yaml"));
  yaml.replace(yaml.find("port: 8080"), 10, "port: " + std::to_string(busy.port));
  std::ofstream(config) << yaml;
  const run_result r = run(quote(pcbridge()) + " --config " + quote(config), 20);
  std::filesystem::remove(config);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "pcbridge: cannot listen on 127.0.0.1:" + std::to_string(busy.port) +
                            " (listen): Address already in use\n"));
  CHECK_FALSE(contains(r.err, "system:"));  // no Boost source location
  CHECK_FALSE(contains(r.err, "listening on"));
}

TEST_CASE("demo.sh: an occupied port makes it fail with the address, never claim it listens") {
  occupied_port busy;
  const run_result r = run(demo_env(busy.port, free_port(), free_port()) + quote(source_path("scripts/demo.sh")), 60);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "pcbridge: cannot listen on 127.0.0.1:" + std::to_string(busy.port) + " (listen): "));
  CHECK(contains(r.err, "demo: pcbridge did not start on 127.0.0.1:" + std::to_string(busy.port)));
  CHECK_FALSE(contains(r.out, "listening"));
}

TEST_CASE("demo.sh: prints the banner once pcbridge answers /healthz") {
  // Runs the demo in the background, waits for its banner, then stops it (bounded).
  const int proxy = free_port(), admin = free_port(), sim = free_port();
  const std::string out = std::filesystem::temp_directory_path().string() + "/pcbridge-demo-test.out";
  const run_result r = run("(" + demo_env(proxy, admin, sim) + quote(source_path("scripts/demo.sh")) + " >" + quote(out) +
                               " 2>&1 & pid=$!; for i in $(seq 1 100); do grep -q 'Press Ctrl-C' " + quote(out) +
                               " && break; sleep 0.1; done; curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" +
                               std::to_string(admin) + "/healthz; kill $pid; wait $pid)",
                           60);
  const std::string banner = slurp(out);
  std::filesystem::remove(out);
  CHECK(r.out == "200");  // by the time the banner is out, /healthz answers
  CHECK(contains(banner, "pcbridge is listening on http://127.0.0.1:" + std::to_string(proxy)));
}
