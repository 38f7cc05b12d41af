#pragma once
// The running gateway: owns every long-lived part (upstream client, token cache, rate
// gate, caches, metrics, listeners) on one io_context thread, and handles the process
// signals: SIGHUP reloads the config (an invalid file keeps the running one), SIGTERM and
// SIGINT drain (stop accepting, /readyz 503, finish in-flight and queued requests up to
// drain_timeout_ms) and exit 0.
#include <memory>
#include <string>

#include "config/config.hpp"

namespace pcbridge::proxy {

struct app_options {
  std::string config_path;
  std::string port_file;        // receives "<client port>\n" once listening (tests)
  std::string admin_port_file;  // receives "<admin port>\n" once listening (tests)
};

// Runs until drained; returns the process exit code (0 after a drain, 1 when a listener
// cannot start, 3 for a configuration the process cannot use: exit_codes.hpp).
int run_gateway(const app_options& options, std::shared_ptr<const config::config> cfg);

}  // namespace pcbridge::proxy
