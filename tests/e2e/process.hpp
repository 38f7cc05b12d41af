#pragma once
// A child process for end-to-end tests: started with posix_spawn, output to a file,
// stopped (SIGTERM, then SIGKILL) when the object goes away. Once it has exited, a
// sanitizer report in what it wrote (ASan, LSan, UBSan "runtime error:") fails the running
// test: the sanitized suite (PCBRIDGE_SANITIZE) catches errors in pcbridge and the
// simulator too, also those reported only at exit (leaks), when nothing checks the status.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace e2e {

class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::string& output_file);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  bool running();
  // Sends `signal` and waits up to `timeout` for exit; returns the exit status or -1.
  int stop(int signal, std::chrono::milliseconds timeout);
  // Waits for exit (for commands expected to finish); -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  void check_output_for_sanitizer_reports();

  pid_t pid_ = -1;
  int status_ = -1;
  std::string output_file_;
  std::size_t output_start_ = 0;  // the file may hold an earlier child's output: checked after this
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
// Polls until `path` holds a port number (the --port-file of pcbridge and the simulator).
int wait_for_port_file(const std::string& path, std::chrono::milliseconds timeout);
std::string make_temp_dir();

}  // namespace e2e
