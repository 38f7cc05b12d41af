#pragma once
// The end-to-end stack: pcbridge-sim (fake V2 + token endpoint) and pcbridge configured
// against it, both on free loopback ports, with their output kept in files.
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "e2e/http_client.hpp"
#include "e2e/process.hpp"

namespace e2e {

// Credentials of the default config (see stack.cpp); the simulator's demo client.
inline const std::string user = "legacy-user";
inline const std::string password = "s3cret-legacy-pass";
inline const std::string admin_user = "admin-user";
inline const std::string admin_password = "adm1n-pass";
inline const std::string keyless_user = "keyless-user";   // no api_key: the client's own is forwarded
inline const std::string keyless_password = "k3yless-pass";
inline const std::string sim_client_id = "demo-client";
inline const std::string sim_client_secret = "demo-secret";
inline const std::string sim_api_key = "demo-key";

struct stack_options {
  int ops_per_minute = 0;          // simulator limit; 0 = none
  int token_ttl_s = 3600;
  int timeout_ms = 3000;
  int rate_window_ms = 0;          // > 0: the quota window of both the simulator and pcbridge
  std::string extra_upstream_config;  // YAML lines added under upstream: (each indented two spaces)
  std::string extra_config;        // YAML appended to the generated config (top-level keys)
  std::string clients_override;    // replaces the clients: section when non-empty
  std::string base_url_override;   // upstream.base_url instead of the simulator's
  // false when no client is configured (basic_as_client_credentials only): pcbridge then
  // fetches no token at start, and the stack does not wait for one.
  bool token_warmup = true;
  // Operations (test_operations.cpp).
  bool admin = false;              // admin listener on a free loopback port: admin_port(), admin_get()
  std::string admin_extra;         // more keys inside the admin: { ... } mapping, e.g. ", token: X"
  bool log_json = false;           // log: { format: json }
  std::string listen_override;     // replaces the generated listen: line (e.g. to add listen.tls)
  std::vector<std::string> sim_clients;  // more simulator clients, each "ID:SECRET:APIKEY"
};

// pcbridge lets one upstream operation per `window_ms` through (burst 1): a second request
// waits in the rate gate for the next window, long enough for a test to act meanwhile.
inline void one_operation_per_window(stack_options& o, int window_ms) {
  o.rate_window_ms = window_ms;
  o.extra_upstream_config = "  operations_per_minute: 1\n  burst: 1\n";
}

class stack {
 public:
  explicit stack(stack_options options = {});
  ~stack();

  // A V1 call as the default legacy user (Basic + X-ApiKey set unless given).
  reply v1(const std::string& method, const std::string& target, const std::string& body = {},
           header_list headers = {}) const;
  reply v1_as(const std::string& user, const std::string& password, const std::string& method,
              const std::string& target, const std::string& body = {}, header_list headers = {}) const;

  nlohmann::json sim_requests() const;             // what the simulator received, in order
  // What the simulator received while pcbridge started (its token warm-up), cleared after.
  const nlohmann::json& startup_requests() const { return startup_requests_; }
  nlohmann::json sim_api_requests() const;         // the same without token requests
  void clear_sim_requests() const;
  nlohmann::json sim_stats() const;
  reply sim_post(const std::string& target, const std::string& json_body) const;

  std::string proxy_output() const;                // pcbridge's stderr so far
  std::string config_path() const { return dir_ + "/pcbridge.yaml"; }
  std::string dir() const { return dir_; }         // the stack's temporary directory
  int proxy_port() const { return proxy_port_; }
  int proxy_pid() const { return proxy_ ? proxy_->pid() : -1; }
  int sim_port() const { return sim_port_; }

  // Operations: the admin listener, signals to pcbridge, config reloads.
  int admin_port() const { return admin_port_; }    // 0 unless stack_options.admin
  reply admin_get(const std::string& path) const;  // GET on the admin listener
  void signal(int sig) const;                      // to pcbridge (nothing once it has exited)
  // Waits for pcbridge to exit: its exit code (128 + signal when killed), -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout) const;
  // Replaces the config file whole (written aside, then renamed); send SIGHUP to apply it.
  void rewrite_config(const std::string& yaml) const;

 private:
  std::string dir_;
  std::unique_ptr<child_process> sim_;
  std::unique_ptr<child_process> proxy_;
  nlohmann::json startup_requests_;
  int sim_port_ = 0;
  int proxy_port_ = 0;
  int admin_port_ = 0;
};

std::string binary_path(const std::string& relative);  // under the build directory

// One call of a concurrent run, with when it was sent and answered.
struct timed_reply {
  reply r;
  std::chrono::steady_clock::time_point sent, done;
  std::chrono::milliseconds took() const { return std::chrono::duration_cast<std::chrono::milliseconds>(done - sent); }
};

// Runs call(0) ... call(n - 1), each on its own thread (so its own connection); call i
// starts `stagger * i` after a common start. Returns when all have answered, in index order.
std::vector<timed_reply> run_concurrently(int n, const std::function<reply(int)>& call,
                                          std::chrono::milliseconds stagger = std::chrono::milliseconds(0));

}  // namespace e2e
