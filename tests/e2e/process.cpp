#include "e2e/process.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace e2e {

child_process::child_process(const std::vector<std::string>& argv, const std::string& output_file)
    : output_file_(output_file) {
  std::error_code ec;
  const auto existing = std::filesystem::file_size(output_file, ec);
  if (!ec) output_start_ = static_cast<std::size_t>(existing);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

child_process::~child_process() {
  if (running()) stop(SIGKILL, std::chrono::milliseconds(2000));
}

bool child_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
    pid_ = -1;
    check_output_for_sanitizer_reports();
    return false;
  }
  return true;
}

void child_process::check_output_for_sanitizer_reports() {
  const std::string text = read_file(output_file_);
  if (text.size() <= output_start_) return;
  const std::string_view out = std::string_view(text).substr(output_start_);
  for (std::string_view marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: ",
                                  "ERROR: UndefinedBehaviorSanitizer"}) {
    const auto at = out.find(marker);
    if (at == std::string_view::npos) continue;
    const auto from = out.rfind('\n', at);
    const std::string_view report = out.substr(from == std::string_view::npos ? 0 : from + 1, 4000);
    ADD_FAIL_CHECK_AT(__FILE__, __LINE__, "sanitizer report in the output of a child process (" << output_file_
                                                                                               << "):\n" << report);
    return;
  }
}

int child_process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

int child_process::stop(int signal, std::chrono::milliseconds timeout) {
  if (!running()) return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  kill(pid_, signal);
  int rc = wait(timeout);
  if (rc == -1 && running()) {
    kill(pid_, SIGKILL);
    wait(std::chrono::milliseconds(2000));
  }
  return rc;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

int wait_for_port_file(const std::string& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = read_file(path);
    if (!text.empty() && text.back() == '\n') return std::atoi(text.c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

std::string make_temp_dir() {
  char tmpl[] = "/tmp/pcbridge-e2e-XXXXXX";
  char* dir = mkdtemp(tmpl);
  if (dir == nullptr) throw std::runtime_error("mkdtemp failed");
  return dir;
}

}  // namespace e2e
