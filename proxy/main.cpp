// pcbridge: serves legacy PowerClerk V1 API clients through the V2 API.
// `pcbridge --help` (proxy/cli_help.cpp) lists every subcommand, option and exit status.
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/compat.hpp"
#include "config/config.hpp"
#include "proxy/app.hpp"
#include "proxy/build_info.hpp"
#include "proxy/cli_help.hpp"
#include "proxy/cli_translate.hpp"
#include "proxy/exit_codes.hpp"
#include "proxy/usage_cli.hpp"

namespace {

using namespace pcbridge;
using namespace pcbridge::proxy;

int usage_error(std::string_view problem) {
  std::fprintf(stderr, "pcbridge: %.*s\n(pcbridge --help lists every subcommand and option)\n",
               static_cast<int>(problem.size()), problem.data());
  return exit_usage;
}

config::load_result load(const std::string& path) {
  auto loaded = config::load_config_file(path);
  if (!loaded.errors.empty()) std::fputs(config::format_errors(loaded.errors, path).c_str(), stderr);
  if (!loaded.warnings.empty()) std::fputs(config::format_warnings(loaded.warnings, path).c_str(), stderr);
  return loaded;
}

int serve(const std::string& config_path, const std::string& port_file, const std::string& admin_port_file) {
  auto loaded = load(config_path);
  if (!loaded.value) return exit_bad_config;
  return run_gateway(app_options{config_path, port_file, admin_port_file}, loaded.value);
}

int check_config(const std::string& path) {
  auto loaded = load(path);
  if (!loaded.value) return exit_bad_config;
  std::printf("%s: valid (%zu clients)\n", path.c_str(), loaded.value->clients.size());
  return exit_ok;
}

// The serving form: pcbridge --config FILE [...] or --check-config FILE.
int run_options(const std::vector<std::string_view>& args) {
  std::string config_path, port_file, admin_port_file;
  bool check = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(help_text().c_str(), stdout);
      return exit_ok;
    }
    if (a == "--version") {
      std::puts(version_line().c_str());
      return exit_ok;
    }
    std::string* value = a == "--config" || a == "--check-config" ? &config_path
                         : a == "--port-file"                     ? &port_file
                         : a == "--admin-port-file"               ? &admin_port_file
                                                                  : nullptr;
    if (!value) return usage_error("unknown argument '" + std::string(a) + "'");
    if (i + 1 >= args.size()) return usage_error(std::string(a) + " needs a value");
    *value = std::string(args[++i]);
    if (a == "--check-config") check = true;
  }
  if (config_path.empty()) return usage_error("--config FILE or --check-config FILE is required");
  return check ? check_config(config_path) : serve(config_path, port_file, admin_port_file);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(help_text().c_str(), stderr);
    return exit_usage;
  }
  // Subcommands are a first word without dashes; everything else is the serving form.
  if (args.front() == "translate")
    return run_translate(args, std::cin, std::cout, std::cerr, config::load_compat_profile);
  if (args.front() == "usage") return run_usage_cli(args, std::cout, std::cerr);
  if (!args.front().starts_with("-")) return usage_error("unknown subcommand '" + std::string(args.front()) + "'");
  return run_options(args);
}
