#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "proxy/usage_store.hpp"

namespace pcbridge::proxy {

namespace {

constexpr std::size_t max_state_bytes = 256 * 1024 * 1024;

}  // namespace

usage_file_load load_usage_file(const std::string& path, bool set_aside) {
  usage_file_load out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return out;  // first start: nothing stored yet
    out.problem = "cannot read usage state file \"" + path + "\": " + std::strerror(errno) + "; starting afresh";
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  std::string error;
  std::optional<usage_data> parsed;
  if (content.size() > max_state_bytes) {
    error = "larger than " + std::to_string(max_state_bytes) + " bytes";
  } else {
    parsed = parse_usage_json(content, error);
  }
  if (!parsed) {
    // Kept aside for a post-mortem; the next flush writes a fresh file.
    if (!set_aside) {
      out.problem = "usage state file \"" + path + "\" is corrupt (" + error + ")";
      return out;
    }
    const std::string aside = path + ".corrupt";
    std::rename(path.c_str(), aside.c_str());
    out.problem = "usage state file \"" + path + "\" is corrupt (" + error + "); moved to \"" + aside +
                  "\", starting afresh";
    return out;
  }
  out.data = std::move(*parsed);
  return out;
}

std::string save_usage_file(const std::string& path, const usage_data& data) {
  const std::string tmp = path + ".tmp";
  const std::string text = render_usage_json(data) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write \"" + tmp + "\": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return "cannot write \"" + tmp + "\": " + why;
    }
    done += static_cast<std::size_t>(n);
  }
  // On disk before the rename makes it the state file.
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write \"" + tmp + "\": " + why;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot replace \"" + path + "\": " + why;
  }
  return {};
}

}  // namespace pcbridge::proxy
