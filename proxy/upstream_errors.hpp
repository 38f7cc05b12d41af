#pragma once
// The most recent upstream errors (non-2xx answers and calls with no usable answer), for
// the dashboard (/admin/status). Bounded: the newest `capacity` are kept. Messages are
// scrubbed on the way in (scrub_secrets with the request's token, client secret, API key
// and password), so nothing stored here is a secret even when upstream echoed one.
// Threading: not synchronised; lives on the proxy's io_context thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

struct upstream_error {
  std::chrono::sys_seconds at{};
  int status = 0;          // upstream HTTP status; 0: no usable answer (timeout, reset, ...)
  std::string method;      // V1 method ("NativeV2" for pass-through calls)
  std::string user;        // the Basic user name of the client
  std::string message;     // scrubbed, one line, at most max_message_chars
};

class upstream_error_ring {
 public:
  static constexpr std::size_t default_capacity = 20;
  static constexpr std::size_t max_message_chars = 300;

  explicit upstream_error_ring(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  // Scrubs e.message of every one of `secrets` (and cuts it to max_message_chars), then keeps it.
  void add(upstream_error e, std::initializer_list<std::string_view> secrets);
  const std::deque<upstream_error>& newest_first() const { return entries_; }
  std::uint64_t total() const { return total_; }  // every error added since start
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::deque<upstream_error> entries_;
  std::uint64_t total_ = 0;
};

}  // namespace pcbridge::proxy
