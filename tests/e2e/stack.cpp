#include "e2e/stack.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace e2e {

std::string binary_path(const std::string& relative) { return std::string(PCBRIDGE_BINARY_DIR) + "/" + relative; }

namespace {

std::string default_clients() {
  return "clients:\n"
         "  - user: " + user + "\n"
         "    password: " + password + "\n"
         "    client_id: " + sim_client_id + "\n"
         "    client_secret: " + sim_client_secret + "\n"
         "    api_key: " + sim_api_key + "\n"
         "  - user: " + admin_user + "\n"
         "    password: " + admin_password + "\n"
         "    client_id: " + sim_client_id + "\n"
         "    client_secret: " + sim_client_secret + "\n"
         "    api_key: " + sim_api_key + "\n"
         "    admin: true\n"
         "  - user: " + keyless_user + "\n"
         "    password: " + keyless_password + "\n"
         "    client_id: " + sim_client_id + "\n"
         "    client_secret: " + sim_client_secret + "\n";
}

}  // namespace

stack::stack(stack_options options) : dir_(make_temp_dir()) {
  std::vector<std::string> sim_argv = {binary_path("pcbridge-sim"), "--port", "0", "--port-file",
                                       dir_ + "/sim.port", "--ops-per-minute", std::to_string(options.ops_per_minute),
                                       "--token-ttl-s", std::to_string(options.token_ttl_s), "--client",
                                       sim_client_id + ":" + sim_client_secret + ":" + sim_api_key};
  for (const auto& client : options.sim_clients) sim_argv.insert(sim_argv.end(), {"--client", client});
  std::string window_config;
  if (options.rate_window_ms > 0) {
    sim_argv.insert(sim_argv.end(), {"--rate-window-ms", std::to_string(options.rate_window_ms)});
    window_config = "  rate_window_ms: " + std::to_string(options.rate_window_ms) + "\n";
  }
  sim_ = std::make_unique<child_process>(sim_argv, dir_ + "/sim.log");
  sim_port_ = wait_for_port_file(dir_ + "/sim.port", std::chrono::seconds(10));
  if (sim_port_ == 0) throw std::runtime_error("simulator did not start: " + read_file(dir_ + "/sim.log"));

  const std::string sim_url = "http://127.0.0.1:" + std::to_string(sim_port_);
  std::string yaml = "listen: { address: 127.0.0.1, port: 0 }\n"
                     "upstream:\n"
                     "  base_url: " + (options.base_url_override.empty() ? sim_url : options.base_url_override) + "\n"
                     "  token_url: " + sim_url + "/connect/token\n"
                     "  timeout_ms: " + std::to_string(options.timeout_ms) + "\n" + window_config +
                     options.extra_upstream_config +
                     (options.clients_override.empty() ? default_clients() : options.clients_override) +
                     options.extra_config;
  // Operations options: the listen line swapped, admin listener and log format added.
  if (!options.listen_override.empty()) yaml = options.listen_override + yaml.substr(yaml.find('\n') + 1);
  if (options.admin) yaml += "admin: { address: 127.0.0.1, port: 0" + options.admin_extra + " }\n";
  if (options.log_json) yaml += "log: { format: json }\n";
  write_file(config_path(), yaml);
  proxy_ = std::make_unique<child_process>(
      std::vector<std::string>{binary_path("pcbridge"), "--config", config_path(), "--port-file",
                               dir_ + "/proxy.port", "--admin-port-file", dir_ + "/admin.port"},
      dir_ + "/proxy.log");
  proxy_port_ = wait_for_port_file(dir_ + "/proxy.port", std::chrono::seconds(10));
  if (proxy_port_ == 0) throw std::runtime_error("pcbridge did not start: " + proxy_output());
  if (options.admin) {
    admin_port_ = wait_for_port_file(dir_ + "/admin.port", std::chrono::seconds(10));
    if (admin_port_ == 0) throw std::runtime_error("pcbridge admin listener did not start: " + proxy_output());
  }
  // pcbridge fetches a token for each configured client as it starts (readiness). Let that
  // settle, then start every test from an empty request record.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (options.token_warmup && std::chrono::steady_clock::now() < deadline) {
    auto stats = sim_stats();
    if (stats.value("token_fetches", 0) >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  startup_requests_ = sim_requests();
  clear_sim_requests();
}

stack::~stack() {
  if (proxy_) proxy_->stop(SIGTERM, std::chrono::seconds(5));
  if (sim_) sim_->stop(SIGTERM, std::chrono::seconds(5));
}

reply stack::v1(const std::string& method, const std::string& target, const std::string& body,
                header_list headers) const {
  return v1_as(user, password, method, target, body, std::move(headers));
}

reply stack::v1_as(const std::string& u, const std::string& p, const std::string& method,
                   const std::string& target, const std::string& body, header_list headers) const {
  header_list all = {{"Authorization", basic(u, p)}};
  if (!body.empty()) all.emplace_back("Content-Type", "application/xml");
  all.insert(all.end(), headers.begin(), headers.end());
  return send(proxy_port_, method, target, all, body);
}

nlohmann::json stack::sim_requests() const {
  auto r = send(sim_port_, "GET", "/__sim/requests");
  return nlohmann::json::parse(r.body);
}

nlohmann::json stack::sim_api_requests() const {
  nlohmann::json out = nlohmann::json::array();
  for (auto& r : sim_requests())
    if (r["target"].get<std::string>().rfind("/services/v2/", 0) == 0) out.push_back(r);
  return out;
}

void stack::clear_sim_requests() const { send(sim_port_, "DELETE", "/__sim/requests"); }

nlohmann::json stack::sim_stats() const { return nlohmann::json::parse(send(sim_port_, "GET", "/__sim/stats").body); }

reply stack::sim_post(const std::string& target, const std::string& json_body) const {
  return send(sim_port_, "POST", target, {{"Content-Type", "application/json"}}, json_body);
}

std::string stack::proxy_output() const {
  // Access lines are buffered and written on a 50 ms timer (proxy/access_log_flush.hpp): an
  // answer arrives before its line. Read until the file has not grown for 150 ms (3 s at most).
  using clock = std::chrono::steady_clock;
  std::string text = read_file(dir_ + "/proxy.log");
  const auto give_up = clock::now() + std::chrono::seconds(3);
  auto unchanged_since = clock::now();
  while (clock::now() - unchanged_since < std::chrono::milliseconds(150) && clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string again = read_file(dir_ + "/proxy.log");
    if (again != text) {
      text = std::move(again);
      unchanged_since = clock::now();
    }
  }
  return text;
}

reply stack::admin_get(const std::string& path) const { return send(admin_port_, "GET", path); }

void stack::signal(int sig) const {
  if (!proxy_ || !proxy_->running()) return;
  if (const pid_t pid = proxy_->pid(); pid > 0) kill(pid, sig);  // never kill(-1, ...): that is every process
}

int stack::wait_exit(std::chrono::milliseconds timeout) const { return proxy_ ? proxy_->wait(timeout) : -1; }

void stack::rewrite_config(const std::string& yaml) const {
  const std::string tmp = config_path() + ".tmp";
  write_file(tmp, yaml);
  if (std::rename(tmp.c_str(), config_path().c_str()) != 0) throw std::runtime_error("cannot replace " + config_path());
}

std::vector<timed_reply> run_concurrently(int n, const std::function<reply(int)>& call,
                                          std::chrono::milliseconds stagger) {
  std::vector<timed_reply> out(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      std::this_thread::sleep_until(start + stagger * i);
      auto& slot = out[static_cast<std::size_t>(i)];
      slot.sent = std::chrono::steady_clock::now();
      slot.r = call(i);
      slot.done = std::chrono::steady_clock::now();
    });
  for (auto& t : threads) t.join();
  return out;
}

}  // namespace e2e
