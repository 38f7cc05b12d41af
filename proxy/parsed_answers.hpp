#pragma once
// What pcbridge derives from upstream answers it shares (form schemas -> field types, GetForms
// -> form ids, a program's schemas -> one merged type map), kept as long as the answers they
// came from: the answer cache hands out the same shared upstream_result until its TTL ends,
// so a derived value is computed once per answer instead of once per request.
// An entry is valid only while every answer it came from is still alive and is the very
// object it was computed from (weak pointers, compared with the current answers), so an
// answer replaced or refetched after its TTL is derived anew, and a freed answer's address
// reused by another cannot match. Single-threaded like the answer cache.
#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

template <class T>
class parsed_answers {
 public:
  using sources = std::vector<std::shared_ptr<const upstream_result>>;

  // The value derived from `from` (in this order), made by `make(from)` when not held. A null
  // result of `make` (nothing could be derived) is kept too.
  template <class Make>
  std::shared_ptr<const T> get(const sources& from, Make&& make) {
    std::vector<const upstream_result*> key;
    key.reserve(from.size());
    for (const auto& s : from) key.push_back(s.get());
    if (auto it = entries_.find(key); it != entries_.end()) {
      if (still_from(it->second, from)) return it->second.value;
      entries_.erase(it);
    }
    std::shared_ptr<const T> value = make(from);
    entry e{std::vector<std::weak_ptr<const upstream_result>>(from.begin(), from.end()), value};
    entries_.insert_or_assign(std::move(key), std::move(e));
    if (entries_.size() >= sweep_at_) sweep();
    return value;
  }

  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    std::vector<std::weak_ptr<const upstream_result>> from;
    std::shared_ptr<const T> value;
  };

  static bool still_from(const entry& e, const sources& from) {
    if (e.from.size() != from.size()) return false;
    for (std::size_t i = 0; i < from.size(); ++i)
      if (e.from[i].lock() != from[i]) return false;
    return true;
  }

  // Entries whose answers are gone (evicted from the answer cache and no request holding
  // them) are dropped; the next sweep waits until the map has doubled, so sweeping stays
  // linear overall and the map is bounded by twice the live answers' entries.
  void sweep() {
    std::erase_if(entries_, [](const auto& kv) {
      for (const auto& w : kv.second.from)
        if (w.expired()) return true;
      return false;
    });
    sweep_at_ = std::max<std::size_t>(64, entries_.size() * 2);
  }

  std::map<std::vector<const upstream_result*>, entry> entries_;
  std::size_t sweep_at_ = 64;
};

}  // namespace pcbridge::proxy
