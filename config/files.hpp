#pragma once
// Small, bounded file reads for the config loader (the config itself, secret files, the CA
// bundle check). Errors come back as strerror text; no exceptions.
#include <filesystem>
#include <optional>
#include <string>

namespace pcbridge::config::detail {

// At most `limit` + 1 bytes of the file (one more than allowed, so callers can tell "too
// large"); nullopt with `error` set when it cannot be opened or read (directories included).
std::optional<std::string> read_small_file(const std::filesystem::path& path, std::size_t limit,
                                           std::string& error);

// Whether `path` can be opened and read; the strerror text if not.
bool file_is_readable(const std::filesystem::path& path, std::string& error);

}  // namespace pcbridge::config::detail
