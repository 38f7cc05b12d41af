// Entry points: read the file, parse the YAML, walk the schema, collect every error.
#include <yaml-cpp/yaml.h>

#include <exception>

#include "config/config.hpp"
#include "config/files.hpp"
#include "config/compat.hpp"
#include "config/sections.hpp"
#include "config/yaml_reader.hpp"

namespace pcbridge::config {
namespace {

constexpr std::size_t max_config_bytes = 4 * 1024 * 1024;

load_result failed(std::string path, int line, std::string message) {
  return load_result{nullptr, {config_error{std::move(path), line, std::move(message)}}, {}};
}

// An origin in angle brackets ("<text>") names no file: relative paths stay relative to
// the working directory.
std::filesystem::path base_dir_of(const std::string& origin) {
  if (origin.empty() || origin.front() == '<') return {};
  return std::filesystem::path(origin).parent_path();
}

load_result walk(const YAML::Node& root, const std::filesystem::path& base_dir) {
  using namespace detail;
  diagnostics diag;
  auto cfg = std::make_shared<config>();
  map_reader m(field{root, "", line_of(root)}, diag);
  std::optional<field> admin;
  if (m.is_mapping()) {
    const field listen = section(m, "listen");
    read_listen(listen, cfg->listen, base_dir, diag);
    read_upstream(section(m, "upstream"), cfg->upstream, base_dir, diag);
    const std::optional<field> clients = m.get("clients");
    const std::size_t client_entries = clients ? read_clients(*clients, cfg->clients, base_dir, diag) : 0;
    read_passthrough(section(m, "basic_as_client_credentials"), cfg->basic_as_client_credentials,
                     base_dir, diag);
    read_routes(section(m, "routes"), cfg->routes, diag);
    read_compat(section(m, "compat"), cfg->compat, diag);
    read_log(section(m, "log"), cfg->log, diag);
    if (auto native = m.get("native_v2")) {
      detail::map_reader n(*native, diag);
      if (auto enabled = n.get("enabled")) {
        if (auto b = detail::read_bool(*enabled, diag)) cfg->native_v2 = *b;
      }
      n.finish();
    }
    read_rate_limit(section(m, "rate_limit"), cfg->rate_limit, base_dir, diag);
    read_usage(section(m, "usage"), cfg->usage, base_dir, diag);
    admin = m.get("admin");
    if (admin) {
      cfg->admin.emplace();
      read_admin(*admin, *cfg->admin, base_dir, diag);
    }
    if (auto drain = m.get("drain_timeout_ms")) {
      if (auto n = read_integer(*drain, 0, 3600000, diag)) cfg->drain_timeout_ms = static_cast<int>(*n);
    }
    m.finish();
    check_listen_security(listen, cfg->listen, diag);
    // A `clients` of the wrong type is already reported; "none" means none were written.
    const bool clients_listed = !clients || clients->node.IsNull() || clients->node.IsSequence();
    if (clients_listed && client_entries == 0 && !cfg->basic_as_client_credentials.enabled) {
      diag.add("clients", clients ? clients->line : m.where().line,
               "at least one client is required unless basic_as_client_credentials.enabled is true");
    }
  }
  if (!diag.empty()) return load_result{nullptr, diag.sorted(), {}};
  load_result valid{std::move(cfg), {}, {}};
  if (admin) check_admin_security(*admin, *valid.value->admin, valid.warnings);
  return valid;
}

}  // namespace

load_result load_config_text(const std::string& yaml_text, const std::string& origin) {
  try {
    YAML::Node root;
    try {
      root = YAML::Load(yaml_text);
    } catch (const YAML::ParserException& e) {
      return failed("", e.mark.line < 0 ? 0 : e.mark.line + 1, "YAML syntax error: " + e.msg);
    }
    return walk(root, base_dir_of(origin));
  } catch (const std::exception& e) {
    return failed("", 0, std::string("internal error while loading: ") + e.what());
  } catch (...) {
    return failed("", 0, "internal error while loading");
  }
}

load_result load_config_file(const std::string& path) {
  try {
    std::string error;
    std::optional<std::string> text = detail::read_small_file(path, max_config_bytes, error);
    if (!text) return failed("", 0, "cannot read config file: " + error);
    if (text->size() > max_config_bytes) {
      return failed("", 0, "config file is larger than " + std::to_string(max_config_bytes) + " bytes");
    }
    return load_config_text(*text, path);
  } catch (const std::exception& e) {
    return failed("", 0, std::string("internal error while loading: ") + e.what());
  }
}

std::string format_warnings(const std::vector<config_error>& warnings, const std::string& origin) {
  std::vector<config_error> prefixed = warnings;
  for (config_error& w : prefixed) w.message = "warning: " + w.message;
  return format_errors(prefixed, origin);
}

std::string format_errors(const std::vector<config_error>& errors, const std::string& origin) {
  std::string out;
  for (const config_error& e : errors) {
    out += origin;
    if (e.line > 0) out += ":" + std::to_string(e.line);
    out += ": ";
    if (!e.path.empty()) out += e.path + ": ";
    out += e.message;
    out += '\n';
  }
  return out;
}

}  // namespace pcbridge::config
