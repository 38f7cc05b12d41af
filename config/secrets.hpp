#pragma once
// Secrets given inline, by environment variable name or by file path. Errors name the
// key path, the variable or the file, never the secret.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/yaml_reader.hpp"

namespace pcbridge::config::detail {

// Secret files larger than this are refused (a secret is a line, not a document).
inline constexpr std::size_t max_secret_file_bytes = 64 * 1024;

// `path` as written when absolute (or when `base_dir` is empty), else under `base_dir`.
std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::string& path);

// The value of the environment variable named by `name_field`: must be set and non-empty.
std::optional<std::string> secret_from_env(const field& name_field, diagnostics& diag);

// The content of the file named by `path_field`, without trailing CR/LF: must be readable,
// at most max_secret_file_bytes and non-empty once trimmed.
std::optional<std::string> secret_from_file(const field& path_field,
                                            const std::filesystem::path& base_dir,
                                            diagnostics& diag);

// Resolves the key chosen by pick_one: `<name>_env` from the environment, `<name>_file`
// from a file, plain `<name>` inline (must not be empty).
std::optional<std::string> resolve_secret(std::string_view key, const field& f,
                                          const std::filesystem::path& base_dir,
                                          diagnostics& diag);

// Overwrites a secret's bytes before it is dropped (OPENSSL_cleanse).
void wipe(std::string& secret);

}  // namespace pcbridge::config::detail
