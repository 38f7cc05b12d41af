#pragma once
// The standard Prometheus process_* families (as the official client libraries name them), read
// from /proc/self at scrape time: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds, process_start_time_seconds.
// Linux only; a value that cannot be read is left out (its # HELP/# TYPE stay), never guessed.
#include <optional>
#include <string>

namespace pcbridge::proxy {

struct process_sample {
  std::optional<double> cpu_seconds;         // user + system
  std::optional<double> resident_bytes;
  std::optional<double> virtual_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;             // RLIMIT_NOFILE soft limit
  std::optional<double> start_time_seconds;  // since the Unix epoch
};

process_sample sample_process();

// The exposition text of `s` (each family with # HELP and # TYPE), appended to `out`.
void append_process_metrics(std::string& out, const process_sample& s);

}  // namespace pcbridge::proxy
