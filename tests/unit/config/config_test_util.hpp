#pragma once
// Helpers shared by the config unit tests.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.hpp"

namespace pcbridge::config::test {

// The errors of a load as format_errors prints them, with "t.yaml" as origin.
inline std::string errors_of(const load_result& r) { return format_errors(r.errors, "t.yaml"); }

// A file under the temp directory, removed at scope exit.
class temp_file {
 public:
  explicit temp_file(const std::string& content, const std::string& suffix = ".txt") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("pcbridge_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix);
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~temp_file() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Sets an environment variable for the scope.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~scoped_env() { ::unsetenv(name_); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
};

// Upstream and one client: the smallest valid document (lines 1-8).
inline constexpr const char* minimal_yaml =
    "upstream:\n"
    "  base_url: https://api.example.com\n"
    "  token_url: https://id.example.com/connect/token\n"
    "clients:\n"
    "  - user: u\n"
    "    password: p\n"
    "    client_id: id\n"
    "    client_secret: s\n";

}  // namespace pcbridge::config::test
