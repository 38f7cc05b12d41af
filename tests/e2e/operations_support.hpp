#pragma once
// Helpers of the operator-facing end-to-end tests (test_ops_*.cpp): bounded polling, reading
// /metrics, the secrets of the default config, self-signed certificates, config edits.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e/assertions.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"
#include "e2e/tls_client.hpp"

namespace e2e::ops {

using namespace std::chrono_literals;

// First 12 hex digits of SHA-256("demo-key"): how /metrics names the simulator's API key.
inline const std::string demo_key_fingerprint = "c48a01f49fd0";

// Polls `done` every 10 ms until it holds or `timeout` passes; the last answer counts.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// The value of one exact series ("name{labels}") in exposition text, "(absent)" if missing.
inline std::string metric(const std::string& text, const std::string& series) {
  for (const auto& line : lines_of(text))
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return line.substr(series.size() + 1);
  return "(absent)";
}

// Every sample line of a labelled family, in the order served.
inline std::vector<std::string> samples(const std::string& text, const std::string& family) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text))
    if (line.rfind(family + "{", 0) == 0) out.push_back(line);
  return out;
}

inline std::string metrics_of(const stack& s) {
  reply r = s.admin_get("/metrics");
  REQUIRE(r.status == 200);
  return r.body;
}

inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// True when a TCP connect to 127.0.0.1:port is actively refused (nobody listening).
inline bool connect_refused(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int error = errno;
  ::close(fd);
  return rc != 0 && error == ECONNREFUSED;
}

// Every secret of the default config (stack.cpp), plus the ones a test adds.
inline std::vector<std::string> configured_secrets() {
  return {password, admin_password, keyless_password, sim_client_secret, sim_api_key};
}

// The bearer tokens the simulator saw pcbridge use.
inline std::vector<std::string> issued_tokens(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_requests()) {
    const std::string auth = header(r, "authorization");
    if (auth.rfind("Bearer ", 0) == 0 && auth.size() > 7) out.push_back(auth.substr(7));
  }
  return out;
}

inline std::string openssl_binary() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "/usr/bin/openssl";
}

struct cert_pair {
  std::string cert, key;
};

// A fresh self-signed certificate for IP 127.0.0.1 (new key, random serial) in `dir`.
inline cert_pair make_self_signed(const std::string& dir, const std::string& name) {
  cert_pair out{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  child_process openssl({openssl_binary(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                         "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", out.key, "-out", out.cert},
                        dir + "/openssl.log");
  REQUIRE_MESSAGE(openssl.wait(30s) == 0, read_file(dir + "/openssl.log"));
  return out;
}

// The config the stack generated, with `entry` added as the first client.
inline std::string with_client(const std::string& yaml, const std::string& entry) {
  const std::string anchor = "clients:\n";
  const auto at = yaml.find(anchor);
  REQUIRE(at != std::string::npos);
  return yaml.substr(0, at + anchor.size()) + entry + yaml.substr(at + anchor.size());
}

inline std::string client_entry(const std::string& u, const std::string& p, const std::string& id, const std::string& secret) {
  return "  - user: " + u + "\n    password: " + p + "\n    client_id: " + id + "\n    client_secret: " + secret +
         "\n    api_key: " + sim_api_key + "\n";
}

inline std::string default_client_entries() {
  return client_entry(user, password, sim_client_id, sim_client_secret) +
         client_entry(admin_user, admin_password, sim_client_id, sim_client_secret) + "    admin: true\n" +
         "  - user: " + keyless_user + "\n    password: " + keyless_password + "\n    client_id: " + sim_client_id +
         "\n    client_secret: " + sim_client_secret + "\n";
}

}  // namespace e2e::ops
