#include "e2e/raw_upstream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace e2e {

namespace {

constexpr auto poll_step = std::chrono::milliseconds(20);  // how often blocked threads look at stopping_

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Waits until `fd` is readable (true) or the upstream stops / the bound passes (false).
bool wait_readable(int fd, const std::atomic<bool>& stopping, std::chrono::milliseconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (!stopping.load() && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(poll_step.count()));
    if (r > 0) return true;
    if (r < 0) return false;
  }
  return false;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string raw_request::header(const std::string& name) const {
  const std::string wanted = lower(name) + ":";
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const std::size_t end = head.find("\r\n", at + 2);
    const std::string line = head.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
    if (lower(line.substr(0, wanted.size())) == wanted) {
      std::string value = line.substr(wanted.size());
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      return value;
    }
    at = end;
  }
  return {};
}

raw_upstream::raw_upstream(raw_script script) : script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("raw_upstream: socket");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("raw_upstream: bind/listen on 127.0.0.1");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

raw_upstream::~raw_upstream() {
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
  ::close(listen_fd_);
}

std::vector<raw_request> raw_upstream::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void raw_upstream::set_script(raw_script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

raw_answer raw_upstream::answer_for(const raw_request& r) {
  std::lock_guard lock(mutex_);
  requests_.push_back(r);
  return script_(r);
}

void raw_upstream::accept_loop() {
  while (!stopping_.load()) {
    if (!wait_readable(listen_fd_, stopping_, std::chrono::milliseconds(1000))) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int connection = ++accepted_;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd, connection] { serve(fd, connection); });
  }
}

void raw_upstream::serve(int fd, int connection) {
  std::string in;
  char chunk[4096];
  // Reads until `in` holds `want` bytes or the peer goes; false when it went.
  const auto fill = [&](std::size_t want) {
    while (in.size() < want) {
      if (!wait_readable(fd, stopping_, std::chrono::seconds(30))) return false;
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      in.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  };
  for (int on_connection = 1; !stopping_.load(); ++on_connection) {
    std::size_t head_end;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos)
      if (!fill(in.size() + 1)) return (void)::close(fd);
    raw_request r;
    r.connection = connection;
    r.on_connection = on_connection;
    r.head = in.substr(0, head_end + 2);
    in.erase(0, head_end + 4);
    const std::size_t sp1 = r.head.find(' '), sp2 = r.head.find(' ', sp1 + 1);
    r.method = r.head.substr(0, sp1);
    r.target = r.head.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string length = r.header("Content-Length");
    const std::size_t body_size = length.empty() ? 0 : std::stoul(length);
    if (!fill(body_size)) return (void)::close(fd);
    r.body = in.substr(0, body_size);
    in.erase(0, body_size);

    const raw_answer a = answer_for(r);
    bool ok = true;
    if (a.drip) {
      for (std::size_t i = 0; ok && i < a.bytes.size(); ++i) {
        ok = write_all(fd, a.bytes.data() + i, 1);
        std::this_thread::sleep_for(a.drip_gap);
      }
    } else {
      ok = write_all(fd, a.bytes.data(), a.bytes.size());
    }
    if (ok && !a.later.empty()) {
      std::this_thread::sleep_for(a.later_after);
      ok = write_all(fd, a.later.data(), a.later.size());
    }
    if (ok) ++answered_;
    if (!ok || a.after == raw_answer::then::close) return (void)::close(fd);
    if (a.after == raw_answer::then::reset) {
      const linger hard{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      return (void)::close(fd);
    }
  }
  ::close(fd);
}

std::string http_answer(int status, const std::string& reason, const std::string& body,
                        const std::string& extra_headers) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string json_answer(const std::string& body, const std::string& extra_headers) {
  return http_answer(200, "OK", body, "Content-Type: application/json\r\n" + extra_headers);
}

}  // namespace e2e
