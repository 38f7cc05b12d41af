#pragma once
// Helpers of the release tests (test_cli.cpp, test_package.cpp, ...): run a command of the
// built tree with bounded time and capture its exit status, stdout and stderr.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace release_test {

inline std::string source_path(const std::string& rel) { return std::string(PCBRIDGE_SOURCE_DIR) + "/" + rel; }
inline std::string binary_path(const std::string& rel) { return std::string(PCBRIDGE_BINARY_DIR) + "/" + rel; }
inline std::string pcbridge() { return binary_path("pcbridge"); }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Single-quoted for sh.
inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct run_result {
  int code = -1;
  std::string out, err;
};

// Runs `command` through sh under `timeout` (coreutils) so a hung child cannot stall the
// suite; stdin is /dev/null unless `input` names a file.
inline run_result run(const std::string& command, int timeout_s = 60, const std::string& input = "/dev/null") {
  static int counter = 0;
  const std::string base = std::filesystem::temp_directory_path().string() + "/pcbridge-release-test-" +
                           std::to_string(::getpid()) + "-" + std::to_string(++counter);
  const std::string full = "timeout -k 5 " + std::to_string(timeout_s) + " sh -c " + quote(command) + " <" +
                           quote(input) + " >" + quote(base + ".out") + " 2>" + quote(base + ".err");
  const int status = std::system(full.c_str());
  run_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return r;
}

}  // namespace release_test
