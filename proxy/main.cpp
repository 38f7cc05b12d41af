// pcbridge: serves legacy PowerClerk V1 API clients through the V2 API.
//   pcbridge --config FILE [--port-file PATH]   serve
//   pcbridge --check-config FILE                validate and exit (0 valid, 2 invalid)
//   pcbridge translate --method M --direction request|response [--schema F] < in > out
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "proxy/app.hpp"
#include "translators/translate_cli.hpp"

namespace {

using namespace pcbridge;

constexpr int exit_usage = 2;
constexpr int exit_bad_config = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: pcbridge --config FILE [--port-file PATH] [--admin-port-file PATH]\n"
      "       pcbridge --check-config FILE\n"
      "       pcbridge translate --method NAME --direction request|response [--schema FILE]\n",
      to);
}

config::load_result load(const std::string& path) {
  auto loaded = config::load_config_file(path);
  if (!loaded.errors.empty()) std::fputs(config::format_errors(loaded.errors, path).c_str(), stderr);
  return loaded;
}

int serve(const std::string& config_path, const std::string& port_file, const std::string& admin_port_file) {
  auto loaded = load(config_path);
  if (!loaded.value) return exit_bad_config;
  return proxy::run_gateway(proxy::app_options{config_path, port_file, admin_port_file}, loaded.value);
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
  std::string config_path, port_file, admin_port_file;
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
    } else if (a == "--admin-port-file") {
      admin_port_file = next();
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
  return check ? check_config(config_path) : serve(config_path, port_file, admin_port_file);
}
