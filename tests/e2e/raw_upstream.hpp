#pragma once
// A misbehaving upstream for the end-to-end tests: a plain POSIX TCP listener on
// 127.0.0.1 (port 0) that reads each request (head, then a Content-Length body) and
// answers with exactly the bytes a test scripts, however wrong they are: interim 1xx
// answers, surplus bytes, short bodies, drips, resets, odd statuses. It counts accepted
// connections, so a test can tell whether pcbridge reused one.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace e2e {

struct raw_request {
  int connection = 0;  // 1-based, in accept order
  int on_connection = 0;  // 1-based: the how-manieth request on its connection
  std::string method, target;
  std::string head;    // request line and headers as received
  std::string body;
  std::string header(const std::string& name) const;  // case-insensitive; "" when absent
};

struct raw_answer {
  std::string bytes;                    // written exactly as given
  bool drip = false;                    // one byte per write, `drip_gap` apart
  std::chrono::milliseconds drip_gap{2};
  std::string later;                    // written `later_after` after `bytes`, unasked
  std::chrono::milliseconds later_after{0};
  enum class then { keep, close, reset } after = then::keep;  // reset: RST (SO_LINGER 0)
};

using raw_script = std::function<raw_answer(const raw_request&)>;

class raw_upstream {
 public:
  explicit raw_upstream(raw_script script);
  ~raw_upstream();
  raw_upstream(const raw_upstream&) = delete;
  raw_upstream& operator=(const raw_upstream&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_.load(); }
  int answered() const { return answered_.load(); }  // answers written whole, `later` bytes included
  std::vector<raw_request> requests() const;  // in arrival order
  void set_script(raw_script script);

 private:
  void accept_loop();
  void serve(int fd, int connection);
  raw_answer answer_for(const raw_request& r);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> answered_{0};
  mutable std::mutex mutex_;
  raw_script script_;
  std::vector<raw_request> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// Framing helpers for scripts.
std::string http_answer(int status, const std::string& reason, const std::string& body,
                        const std::string& extra_headers = {});  // with Content-Length, HTTP/1.1
std::string json_answer(const std::string& body, const std::string& extra_headers = {});  // 200, JSON

}  // namespace e2e
