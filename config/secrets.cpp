#include "config/secrets.hpp"

#include <openssl/crypto.h>

#include <cstdlib>

#include "config/files.hpp"

namespace pcbridge::config::detail {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return p;
  return base_dir / p;
}

std::optional<std::string> secret_from_env(const field& name_field, diagnostics& diag) {
  std::optional<std::string> name = read_nonempty_string(name_field, diag);
  if (!name) return std::nullopt;
  if (!is_env_name(*name)) {
    diag.add(name_field.path, name_field.line, "expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    return std::nullopt;
  }
  const char* value = std::getenv(name->c_str());
  if (value == nullptr) {
    diag.add(name_field.path, name_field.line, "environment variable \"" + *name + "\" is not set");
    return std::nullopt;
  }
  if (*value == '\0') {
    diag.add(name_field.path, name_field.line, "environment variable \"" + *name + "\" is empty");
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> secret_from_file(const field& path_field,
                                            const std::filesystem::path& base_dir,
                                            diagnostics& diag) {
  std::optional<std::string> name = read_nonempty_string(path_field, diag);
  if (!name) return std::nullopt;
  const std::string shown = resolve_path(base_dir, *name).string();
  std::string error;
  std::optional<std::string> content =
      read_small_file(resolve_path(base_dir, *name), max_secret_file_bytes, error);
  if (!content) {
    diag.add(path_field.path, path_field.line, "cannot read \"" + shown + "\": " + error);
    return std::nullopt;
  }
  if (content->size() > max_secret_file_bytes) {
    wipe(*content);
    diag.add(path_field.path, path_field.line,
             "file \"" + shown + "\" is larger than " + std::to_string(max_secret_file_bytes) + " bytes");
    return std::nullopt;
  }
  while (!content->empty() && (content->back() == '\n' || content->back() == '\r')) {
    content->pop_back();
  }
  if (content->empty()) {
    diag.add(path_field.path, path_field.line, "file \"" + shown + "\" is empty");
    return std::nullopt;
  }
  return content;
}

std::optional<std::string> resolve_secret(std::string_view key, const field& f,
                                          const std::filesystem::path& base_dir,
                                          diagnostics& diag) {
  if (ends_with(key, "_env")) return secret_from_env(f, diag);
  if (ends_with(key, "_file")) return secret_from_file(f, base_dir, diag);
  return read_nonempty_string(f, diag);
}

void wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace pcbridge::config::detail
