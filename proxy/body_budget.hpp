#pragma once
// The bytes of request bodies held in memory across all connections of a server, under one
// cap (listen.max_buffered_body_bytes): a request whose body would pass it is refused (503)
// instead of buffered. Single-threaded like the server that owns it.
#include <cstddef>

namespace pcbridge::proxy {

class body_budget {
 public:
  explicit body_budget(std::size_t cap) : cap_(cap) {}  // 0: no cap
  std::size_t in_use() const { return in_use_; }

  // One request's share; given back when it is destroyed.
  class reservation {
   public:
    explicit reservation(body_budget& budget) : budget_(budget) {}
    ~reservation() { budget_.in_use_ -= held_; }
    reservation(const reservation&) = delete;
    reservation& operator=(const reservation&) = delete;

    // Holds `total` bytes for this request (never less than it holds already); false, and
    // nothing more held, when that would pass the cap.
    bool grow_to(std::size_t total) {
      if (total <= held_) return true;
      const std::size_t more = total - held_;
      if (budget_.cap_ != 0 && more > budget_.cap_ - budget_.in_use_) return false;
      budget_.in_use_ += more;
      held_ = total;
      return true;
    }
    std::size_t held() const { return held_; }

   private:
    body_budget& budget_;
    std::size_t held_ = 0;
  };

 private:
  std::size_t cap_;
  std::size_t in_use_ = 0;
};

}  // namespace pcbridge::proxy
