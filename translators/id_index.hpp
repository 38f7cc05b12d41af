#pragma once
// Field id -> small integer, for the per-request maps of one SetProjectData write (which group
// an id belongs to, which ids the current data must give). Open addressing over views in one
// array: a node-based map cost one allocation and a string copy per id, a large share of a
// 500-field write (callgrind). The views must outlive the index (they point into the parsed
// request). Internal to translators/.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

namespace pcbridge::translators {

namespace detail {
// Chosen at random once per process: the ids are the client's, and with a fixed hash a
// client could send ids that all land on one run of slots (quadratic work for one request).
inline const std::uint64_t id_hash_seed = [] {
  std::random_device random;
  return (std::uint64_t{random()} << 32) ^ random();
}();

// Ids are short (8 to 20 bytes), so they are read as 8-byte words (the last overlapping the
// one before) and each is mixed in with the splitmix64 finaliser. Inline: std::hash is a
// call into libstdc++ of about 45 instructions for an 11-byte id (callgrind).
inline std::uint64_t id_hash(std::string_view s) {
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  };
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = id_hash_seed ^ (n * 0x9E3779B97F4A7C15ull);
  std::uint64_t w = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      h = mix(h ^ w);
    }
    std::memcpy(&w, p + n - 8, 8);
  } else if (n >= 4) {  // two 4-byte reads, overlapping
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    w = (std::uint64_t{hi} << 32) | lo;
  } else {
    for (std::size_t i = 0; i < n; ++i) w = (w << 8) | static_cast<unsigned char>(p[i]);
  }
  return mix(h ^ w);
}
}  // namespace detail

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
    for (std::size_t i = static_cast<std::size_t>(detail::id_hash(id)) & mask;; i = (i + 1) & mask) {
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
