// The process_* families (process_metrics.hpp), as /proc/self gives them.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <ctime>
#include <string>

#include "proxy/metrics.hpp"
#include "proxy/process_metrics.hpp"

using namespace pcbridge::proxy;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("metrics: the process_* families are read from /proc/self") {
  metrics m;
  const std::string text = m.render();
  for (const char* family : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                             "process_start_time_seconds", "process_max_fds", "process_virtual_memory_bytes"}) {
    CAPTURE(family);
    CHECK(contains(text, std::string("\n") + family + " "));  // a value, not only # HELP/# TYPE
  }
  const process_sample before = sample_process();
  const int extra = ::open("/dev/null", O_RDONLY);
  REQUIRE(extra >= 0);
  const process_sample after = sample_process();
  ::close(extra);
  REQUIRE(before.open_fds);
  REQUIRE(after.open_fds);
  CHECK(*after.open_fds == *before.open_fds + 1);  // the directory listing's own fd is not counted
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  if (lim.rlim_cur != RLIM_INFINITY) CHECK(after.max_fds == static_cast<double>(lim.rlim_cur));
  REQUIRE(after.resident_bytes);
  CHECK(*after.resident_bytes > 1024 * 1024);
  REQUIRE(after.virtual_bytes);
  CHECK(*after.virtual_bytes >= *after.resident_bytes);
  REQUIRE(after.cpu_seconds);
  CHECK(*after.cpu_seconds >= 0);
  REQUIRE(after.start_time_seconds);
  const double now = static_cast<double>(std::time(nullptr));
  CHECK(*after.start_time_seconds <= now + 1);  // this test process started before now,
  CHECK(*after.start_time_seconds > now - 86400);  // and not a day ago (not the boot time)
}
