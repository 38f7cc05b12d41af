#include "e2e/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace e2e::raw {

using steady = std::chrono::steady_clock;

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

void half_close(int fd) { ::shutdown(fd, SHUT_WR); }

bool readable_within(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(wait.count())) == 1;
}

namespace {

// One read with a deadline: bytes read, 0 at the end of input, -1 on error or timeout.
ssize_t read_some(int fd, char* into, std::size_t size, steady::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  if (left.count() <= 0 || !readable_within(fd, left)) return -1;
  return ::recv(fd, into, size, 0);
}

}  // namespace

std::string read_until_close(int fd, std::chrono::milliseconds wait) {
  const auto deadline = steady::now() + wait;
  std::string out;
  char piece[16384];
  for (;;) {
    const ssize_t n = read_some(fd, piece, sizeof piece, deadline);
    if (n <= 0) return out;
    out.append(piece, static_cast<std::size_t>(n));
  }
}

bool closed_within(int fd, std::chrono::milliseconds wait) {
  const auto deadline = steady::now() + wait;
  char piece[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (left.count() <= 0 || !readable_within(fd, left)) return false;
    if (::recv(fd, piece, sizeof piece, 0) <= 0) return true;
  }
}

std::string answer::header(const std::string& lower_name) const {
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const std::size_t end = head.find("\r\n", at + 2);
    const std::string line = head.substr(at + 2, end - at - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      if (name == lower_name) {
        std::size_t v = colon + 1;
        while (v < line.size() && line[v] == ' ') ++v;
        return line.substr(v);
      }
    }
    at = end;
  }
  return {};
}

answer parse_answer(const std::string& bytes) {
  answer a;
  const std::size_t end = bytes.find("\r\n\r\n");
  if (bytes.rfind("HTTP/1.", 0) != 0 || end == std::string::npos || bytes.size() < 12) return a;
  a.status = std::stoi(bytes.substr(9, 3));
  a.head = bytes.substr(0, end + 4);
  a.rest = bytes.substr(end + 4);
  return a;
}

answer read_one_answer(int fd, std::chrono::milliseconds wait, bool to_head) {
  const auto deadline = steady::now() + wait;
  std::string bytes;
  char c;
  while (bytes.find("\r\n\r\n") == std::string::npos) {  // byte by byte: nothing of a next answer is taken
    if (read_some(fd, &c, 1, deadline) != 1) return {};
    bytes.push_back(c);
  }
  answer a = parse_answer(bytes);
  const std::string length = a.header("content-length");
  const std::size_t want = length.empty() || to_head ? 0 : std::stoul(length);
  char piece[16384];
  while (a.rest.size() < want) {
    const ssize_t n = read_some(fd, piece, std::min(sizeof piece, want - a.rest.size()), deadline);
    if (n <= 0) return {};
    a.rest.append(piece, static_cast<std::size_t>(n));
  }
  return a;
}

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace e2e::raw
