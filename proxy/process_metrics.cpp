#include "proxy/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace pcbridge::proxy {

namespace {

std::string read_small(const char* path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Boot time from /proc/stat ("btime <seconds>").
std::optional<double> boot_time() {
  std::istringstream in(read_small("/proc/stat"));
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double v = 0;
      if (in >> v) return v;
      return std::nullopt;
    }
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

// from_chars, not stod: a malformed field leaves the value out instead of throwing.
std::optional<double> num(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

void append_value(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            const std::optional<double>& v) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name).append(" ");
  out.append(type).append("\n");
  if (!v) return;
  out.append(name).append(" ");
  append_value(out, *v);
  out.append("\n");
}

}  // namespace

process_sample sample_process() {
  process_sample s;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long page = ::sysconf(_SC_PAGESIZE);
  // /proc/self/stat: "pid (comm) state ..."; comm may hold spaces and ')' so split after the last ')'.
  const std::string stat = read_small("/proc/self/stat");
  const auto close = stat.rfind(')');
  if (close != std::string::npos && ticks > 0) {
    std::istringstream in(stat.substr(close + 1));
    std::vector<std::string> f;  // f[0] is field 3 (state)
    for (std::string w; in >> w;) f.push_back(w);
    if (f.size() > 21) {
      const auto utime = num(f[11]), stime = num(f[12]), start = num(f[19]), vsize = num(f[20]), rss = num(f[21]);
      if (utime && stime) s.cpu_seconds = (*utime + *stime) / static_cast<double>(ticks);
      s.virtual_bytes = vsize;
      if (rss) s.resident_bytes = *rss * static_cast<double>(page);
      const auto boot = boot_time();
      if (boot && start) s.start_time_seconds = *boot + *start / static_cast<double>(ticks);
    }
  }
  std::error_code ec;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  if (!ec) s.open_fds = static_cast<double>(fds > 0 ? fds - 1 : 0);  // minus the iterator's own
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) s.max_fds = static_cast<double>(lim.rlim_cur);
  return s;
}

void append_process_metrics(std::string& out, const process_sample& s) {
  family(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
         s.cpu_seconds);
  family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", s.resident_bytes);
  family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", s.virtual_bytes);
  family(out, "process_open_fds", "gauge", "Number of open file descriptors.", s.open_fds);
  family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", s.max_fds);
  family(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
         s.start_time_seconds);
}

}  // namespace pcbridge::proxy
