#pragma once
// The schema walk, one function per section of the YAML document. Each fills its part of
// `config` from the values that are valid and reports the others to `diag`.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace pcbridge::config::detail {

// Relative file paths in the document (`*_file`, `ca_file`) are resolved against `base_dir`.
void read_listen(const field& f, listen_config& out, const std::filesystem::path& base_dir, diagnostics& diag);
void read_upstream(const field& f, upstream_config& out, const std::filesystem::path& base_dir,
                   diagnostics& diag);
// Returns how many entries the list has (valid or not): "no clients" means none written.
std::size_t read_clients(const field& f, std::vector<client_config>& out,
                         const std::filesystem::path& base_dir, diagnostics& diag);
void read_passthrough(const field& f, passthrough_config& out,
                      const std::filesystem::path& base_dir, diagnostics& diag);
void read_routes(const field& f, std::map<std::string, route_mode>& out, diagnostics& diag);
void read_log(const field& f, log_config& out, diagnostics& diag);
void read_rate_limit(const field& f, rate_limit_config& out, const std::filesystem::path& base_dir,
                     diagnostics& diag);
void read_usage(const field& f, usage_config& out, const std::filesystem::path& base_dir, diagnostics& diag);
void read_admin(const field& f, admin_config& out, const std::filesystem::path& base_dir, diagnostics& diag);
// A non-loopback admin listener without a token serves metrics and usage (client names) to
// anyone who reaches it: valid, but warned about.
void check_admin_security(const field& admin, const admin_config& cfg, std::vector<config_error>& warnings);
// Cross-key rules checked once every section is read (e.g. plaintext on a public address).
void check_listen_security(const field& listen, const listen_config& cfg, diagnostics& diag);

}  // namespace pcbridge::config::detail
