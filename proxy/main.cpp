// pcbridge: serves legacy PowerClerk V1 API clients through the V2 API.
//   pcbridge --config FILE [--port-file PATH]   serve
//   pcbridge --check-config FILE                validate and exit (0 valid, 2 invalid)
//   pcbridge translate --method M --direction request|response [--schema F] < in > out
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "proxy/access_log.hpp"
#include "proxy/http_server.hpp"
#include "proxy/pacing_backend.hpp"
#include "proxy/pipeline.hpp"
#include "proxy/rate_gate.hpp"
#include "proxy/token_fetcher.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/translate_cli.hpp"

namespace {

using namespace pcbridge;

constexpr int exit_usage = 2;
constexpr int exit_bad_config = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: pcbridge --config FILE [--port-file PATH]\n"
      "       pcbridge --check-config FILE\n"
      "       pcbridge translate --method NAME --direction request|response [--schema FILE]\n",
      to);
}

config::load_result load(const std::string& path) {
  auto loaded = config::load_config_file(path);
  if (!loaded.errors.empty()) std::fputs(config::format_errors(loaded.errors, path).c_str(), stderr);
  return loaded;
}

int serve(const std::string& config_path, const std::string& port_file) {
  auto loaded = load(config_path);
  if (!loaded.value) return exit_bad_config;
  const auto cfg = loaded.value;
  proxy::logger log(cfg->log);

  auto api = proxy::parse_endpoint(cfg->upstream.base_url);
  auto token_endpoint = proxy::parse_endpoint(cfg->upstream.token_url);
  if (!api || !token_endpoint) {
    std::fputs("pcbridge: upstream.base_url or upstream.token_url is not an http(s) URL\n", stderr);
    return exit_bad_config;
  }

  boost::asio::io_context io(1);
  std::unique_ptr<proxy::upstream_client> upstream;
  try {
    upstream = std::make_unique<proxy::upstream_client>(io.get_executor(), cfg->upstream.ca_file,
                                                        cfg->upstream.max_response_bytes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pcbridge: cannot load upstream.ca_file: %s\n", e.what());
    return exit_bad_config;
  }
  proxy::token_fetcher fetcher(*upstream, *token_endpoint, token_endpoint->path_prefix,
                               std::chrono::milliseconds(cfg->upstream.timeout_ms));
  proxy::token_cache tokens(
      io.get_executor(),
      [&fetcher](const proxy::token_credentials& c) { return fetcher.fetch(c); },
      [] { return proxy::token_clock::now(); }, std::chrono::seconds(cfg->upstream.token_refresh_margin_s));

  proxy::pacing_settings pacing;
  pacing.operations_per_window = cfg->upstream.operations_per_minute;
  pacing.window = std::chrono::milliseconds(cfg->upstream.rate_window_ms);
  pacing.burst = cfg->upstream.burst;
  proxy::memory_pacing_backend pacing_state(pacing);
  proxy::rate_gate gate(io.get_executor(),
                        proxy::rate_gate_options{pacing, cfg->upstream.max_queue,
                                                 std::chrono::milliseconds(cfg->upstream.max_wait_ms)},
                        pacing_state);

  proxy::answer_cache answers(io.get_executor(), [] { return proxy::token_clock::now(); });

  proxy::pipeline pipeline(proxy::gateway{cfg, *api, upstream.get(), &tokens, &gate, &answers, &log, {}});

  proxy::server_options options;
  options.address = cfg->listen.address;
  options.port = cfg->listen.port;
  options.body_limit = cfg->listen.max_body_bytes;
  options.header_limit = cfg->listen.max_header_bytes;
  options.header_timeout = std::chrono::milliseconds(cfg->listen.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(cfg->listen.idle_timeout_ms);
  options.refusal = [](proxy::http::status status, const std::string& message) {
    return proxy::v1_error(static_cast<int>(status), message, "-");
  };
  proxy::http_server server(io, options, [&pipeline](proxy::string_request& req) { return pipeline.handle(req); });
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pcbridge: cannot listen on %s:%u: %s\n", cfg->listen.address.c_str(),
                 static_cast<unsigned>(cfg->listen.port), e.what());
    return 1;
  }
  const auto port = server.bound_port();
  log.info("pcbridge listening on http://" + cfg->listen.address + ":" + std::to_string(port) + " -> " +
           cfg->upstream.base_url + " (" + std::to_string(cfg->clients.size()) + " clients)");
  if (!port_file.empty()) std::ofstream(port_file) << port << "\n";

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    log.info("pcbridge stopping");
    server.stop();
    io.stop();
  });
  io.run();
  return 0;
}

int check_config(const std::string& path) {
  auto loaded = load(path);
  if (!loaded.value) return exit_bad_config;
  std::printf("%s: valid (%zu clients)\n", path.c_str(), loaded.value->clients.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(stderr);
    return exit_usage;
  }
  if (args.front() == "translate") return translators::run_translate_cli(args, std::cin, std::cout, std::cerr);
  std::string config_path, port_file;
  bool check = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto a = args[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size()) return {};
      return std::string(args[++i]);
    };
    if (a == "--config") {
      config_path = next();
    } else if (a == "--check-config") {
      config_path = next();
      check = true;
    } else if (a == "--port-file") {
      port_file = next();
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "pcbridge: unknown argument '%.*s'\n", static_cast<int>(a.size()), a.data());
      usage(stderr);
      return exit_usage;
    }
  }
  if (config_path.empty()) {
    usage(stderr);
    return exit_usage;
  }
  return check ? check_config(config_path) : serve(config_path, port_file);
}
