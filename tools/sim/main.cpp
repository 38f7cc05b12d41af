// pcbridge-sim: the simulator core behind pcbridge's small HTTP server. This file only
// parses flags, converts messages, writes the port file, logs and handles signals.
#include "proxy/http_server.hpp"
#include "proxy/http_tls.hpp"
#include "tools/sim/sim_simulator.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace sim = pcbridge::sim;
namespace proxy = pcbridge::proxy;

struct cli_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  std::string port_file;
  std::string tls_cert, tls_key;  // serve HTTPS (tests of the proxy's upstream TLS)
  bool quiet = false;
  sim::sim_options sim;
};

constexpr std::string_view usage =
    "usage: pcbridge-sim [--address 127.0.0.1] [--port N] [--port-file PATH]\n"
    "                    [--ops-per-minute N] [--rate-window-ms 60000] [--token-ttl-s N]\n"
    "                    [--client ID:SECRET:APIKEY]... [--tls-cert PEM --tls-key PEM] [--quiet]\n"
    "  --port 0 (default) picks a free port; --port-file receives it once listening.\n"
    "  --ops-per-minute: per API key and window, default 60, 0 = no limit.\n"
    "  --rate-window-ms: the limit's window, default 60000 (shorter only for tests). --token-ttl-s: default 3600.\n"
    "  --client may repeat; without it the demo client demo-client:demo-secret:demo-key is used.\n";

long parse_number(std::string_view flag, const std::string& value, long min, long max) {
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < min || n > max) {
    throw std::invalid_argument(std::string(flag) + " needs a number from " + std::to_string(min) + " to " +
                                std::to_string(max));
  }
  return n;
}

// ID:SECRET:APIKEY; the secret is everything between the first and the last colon.
sim::sim_client parse_client(const std::string& value) {
  const auto first = value.find(':');
  const auto last = value.rfind(':');
  if (first == std::string::npos || first == last || first == 0 || last + 1 == value.size()) {
    throw std::invalid_argument("--client needs ID:SECRET:APIKEY");
  }
  return {value.substr(0, first), value.substr(first + 1, last - first - 1), value.substr(last + 1)};
}

cli_options parse_args(int argc, char** argv) {
  cli_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value (or is unknown)");
    const std::string value = argv[++i];
    if (flag == "--address") {
      o.address = value;
    } else if (flag == "--port") {
      o.port = static_cast<std::uint16_t>(parse_number(flag, value, 0, 65535));
    } else if (flag == "--port-file") {
      o.port_file = value;
    } else if (flag == "--ops-per-minute") {
      o.sim.ops_per_minute = static_cast<int>(parse_number(flag, value, 0, 1'000'000));
    } else if (flag == "--tls-cert") {
      o.tls_cert = value;
    } else if (flag == "--tls-key") {
      o.tls_key = value;
    } else if (flag == "--rate-window-ms") {
      o.sim.rate_window = std::chrono::milliseconds(parse_number(flag, value, 100, 3'600'000));
    } else if (flag == "--token-ttl-s") {
      o.sim.token_ttl = std::chrono::seconds(parse_number(flag, value, 1, 365L * 24 * 3600));
    } else if (flag == "--client") {
      o.sim.clients.push_back(parse_client(value));
    } else {
      throw std::invalid_argument("unknown flag " + std::string(flag));
    }
  }
  return o;
}

// Written to a temporary name and renamed, so a reader never sees a partial number.
void write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp + " to " + path);
}

sim::sim_request to_sim(const proxy::string_request& req) {
  sim::sim_request out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) out.headers.add(std::string(field.name_string()), std::string(field.value()));
  out.body = req.body();
  return out;
}

proxy::handler_result to_beast(const sim::sim_response& resp, const proxy::string_request& req) {
  proxy::handler_result out;
  out.response = proxy::string_response(static_cast<proxy::http::status>(resp.status), req.version());
  for (const auto& [name, value] : resp.headers.fields()) out.response.insert(name, value);
  out.response.body() = resp.body;
  out.response.keep_alive(req.keep_alive());
  out.response.prepare_payload();
  out.delay = std::chrono::milliseconds(resp.delay_ms);
  out.drop_connection = resp.drop_connection;
  return out;
}

// One line per request. The token endpoint's query is left out (a client could put its
// secret there); bodies and headers, which carry secrets and tokens, are never logged.
void log_request(const sim::sim_request& req, const sim::sim_response& resp, std::chrono::steady_clock::duration took) {
  std::string target = req.target;
  if (target.starts_with("/connect/token")) target = target.substr(0, target.find('?'));
  std::string extra;
  if (resp.delay_ms > 0) extra += " delay=" + std::to_string(resp.delay_ms) + "ms";
  if (resp.drop_connection) extra += " dropped";
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  std::fprintf(stderr, "pcbridge-sim: %s %s -> %d %zuB %lldus%s\n", req.method.c_str(), target.c_str(), resp.status,
               resp.body.size(), static_cast<long long>(us), extra.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  cli_options options;
  try {
    options = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pcbridge-sim: " << e.what() << "\n" << usage;
    return 2;
  }

  // io.run() below is the only thread: handler calls never overlap, as the core requires.
  sim::simulator simulator(options.sim);
  boost::asio::io_context io;

  proxy::server_options server_opts;
  server_opts.address = options.address;
  server_opts.port = options.port;
  server_opts.body_limit = 64 * 1024 * 1024;  // attachment uploads
  proxy::http_server server(io, server_opts, [&](proxy::string_request& req) {
    const auto started = std::chrono::steady_clock::now();
    const auto request = to_sim(req);
    const auto response = simulator.handle(request, std::chrono::system_clock::now());
    if (!options.quiet) log_request(request, response, std::chrono::steady_clock::now() - started);
    return to_beast(response, req);
  });

  try {
    // HTTPS, so the tests can check pcbridge's upstream TLS verification.
    if (!options.tls_cert.empty()) server.use_tls(proxy::make_server_tls(options.tls_cert, options.tls_key));
    server.start();
    if (!options.port_file.empty()) write_port_file(options.port_file, server.bound_port());
  } catch (const std::exception& e) {
    std::cerr << "pcbridge-sim: cannot listen on " << options.address << ":" << options.port << ": " << e.what()
              << "\n";
    return 1;
  }

  std::string client_ids;
  for (const auto& c : simulator.options().clients) client_ids += (client_ids.empty() ? "" : ", ") + c.id;
  std::cerr << "pcbridge-sim: listening on http://" << options.address << ":" << server.bound_port()
            << " (clients: " << client_ids << "; ops/minute: " << options.sim.ops_per_minute
            << "; token ttl: " << options.sim.token_ttl.count() << "s)\n";

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    std::cerr << "pcbridge-sim: signal " << signal << ", stopping\n";
    server.stop();
    io.stop();
  });
  io.run();
  return 0;
}
