// pcbridge's upstream over HTTPS: the simulator serves TLS with a certificate made at test
// time; pcbridge verifies it (SNI, chain, host) and refuses an upstream it cannot verify.
#include <doctest/doctest.h>

#include <cstdlib>

#include "e2e/stack.hpp"

using namespace e2e;

namespace {

// A self-signed certificate for 127.0.0.1, valid for a day.
void make_certificate(const std::string& dir) {
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 "
                          "-addext subjectAltName=IP:127.0.0.1 -days 1 -keyout " + dir + "/key.pem -out " + dir +
                          "/cert.pem > " + dir + "/openssl.log 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, read_file(dir + "/openssl.log"));
}

struct https_upstream {
  std::string dir = make_temp_dir();
  std::unique_ptr<child_process> sim;
  int port = 0;
  https_upstream() {
    make_certificate(dir);
    sim = std::make_unique<child_process>(
        std::vector<std::string>{binary_path("pcbridge-sim"), "--port", "0", "--port-file", dir + "/sim.port",
                                 "--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem", "--quiet"},
        dir + "/sim.log");
    port = wait_for_port_file(dir + "/sim.port", std::chrono::seconds(10));
    REQUIRE_MESSAGE(port > 0, read_file(dir + "/sim.log"));
  }
};

struct proxy_to {
  std::string dir = make_temp_dir();
  std::unique_ptr<child_process> process;
  int port = 0;
  proxy_to(int upstream_port, const std::string& ca_line) {
    const std::string url = "https://127.0.0.1:" + std::to_string(upstream_port);
    write_file(dir + "/pcbridge.yaml",
               "upstream:\n  base_url: " + url + "\n  token_url: " + url + "/connect/token\n  timeout_ms: 3000\n" +
                   ca_line + "listen: { address: 127.0.0.1, port: 0 }\nclients:\n  - user: " + user +
                   "\n    password: " + password + "\n    client_id: demo-client\n    client_secret: demo-secret\n"
                   "    api_key: demo-key\n");
    process = std::make_unique<child_process>(
        std::vector<std::string>{binary_path("pcbridge"), "--config", dir + "/pcbridge.yaml", "--port-file",
                                 dir + "/p.port"},
        dir + "/p.log");
    port = wait_for_port_file(dir + "/p.port", std::chrono::seconds(10));
    REQUIRE_MESSAGE(port > 0, read_file(dir + "/p.log"));
  }
};

}  // namespace

TEST_CASE("upstream TLS: a verified HTTPS upstream serves V1 calls") {
  https_upstream upstream;
  proxy_to proxy(upstream.port, "  ca_file: " + upstream.dir + "/cert.pem\n");
  auto r = send(proxy.port, "GET", "/Services.svc/v1/Programs/PRG0M4A7B2CD/Forms", {{"Authorization", basic(user, password)}});
  CHECK(r.status == 200);
  CHECK(r.body.find("<FormsResponse xmlns=\"http://service.powerclerk.com/api/v1/\"") != std::string::npos);
}

TEST_CASE("upstream TLS: an upstream certificate pcbridge cannot verify is refused, nothing is sent") {
  https_upstream upstream;
  proxy_to proxy(upstream.port, "");  // the self-signed certificate is not in the system CAs
  auto r = send(proxy.port, "GET", "/Services.svc/v1/Programs/PRG0M4A7B2CD/Forms", {{"Authorization", basic(user, password)}});
  CHECK(r.status == 503);  // not even a token could be fetched
  CHECK(r.body.find("certificate verify failed") != std::string::npos);
  CHECK(read_file(proxy.dir + "/p.log").find("demo-secret") == std::string::npos);
}
