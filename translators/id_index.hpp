#pragma once
// Field id -> small integer, for the per-request maps of one SetProjectData write (which group
// an id belongs to, which ids the current data must give). Open addressing over views in one
// array: a node-based map cost one allocation and a string copy per id, a large share of a
// 500-field write (callgrind). The views must outlive the index (they point into the parsed
// request). Internal to translators/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "translators/short_hash.hpp"

namespace pcbridge::translators {

class id_index {
 public:
  // Room for `capacity` ids at a load factor of at most one half.
  explicit id_index(std::size_t capacity) {
    std::size_t size = 8;
    while (size < capacity * 2) size *= 2;
    slots_.resize(size);
  }

  // The value of `id` and false when it is known; otherwise adds it with `value` and returns
  // {value, true}. The table doubles before it is half full, so a probe always ends.
  std::pair<std::uint32_t, bool> try_emplace(std::string_view id, std::uint32_t value) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    slot& s = slots_[position(id)];
    if (s.used) return {s.value, false};
    s = slot{id, value, true};
    ++used_;
    return {value, true};
  }

  std::optional<std::uint32_t> find(std::string_view id) const {
    const slot& s = slots_[position(id)];
    if (!s.used) return std::nullopt;
    return s.value;
  }

 private:
  struct slot {
    std::string_view key;
    std::uint32_t value = 0;
    bool used = false;
  };

  // The slot holding `id`, or the empty one where it would go (linear probing).
  std::size_t position(std::string_view id) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = short_hash(id) & mask;; i = (i + 1) & mask) {
      const slot& s = slots_[i];
      if (!s.used || s.key == id) return i;
    }
  }

  void grow() {
    std::vector<slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const slot& s : old)
      if (s.used) slots_[position(s.key)] = s;
  }

  std::vector<slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace pcbridge::translators
