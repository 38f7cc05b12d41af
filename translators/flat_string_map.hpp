#pragma once
// A string-keyed map for lookups by view, filled once and then only read: the field types of
// a form (field_types.hpp), looked up for every field a write sends. The entries sit in
// insertion order in one array, found through a power-of-two table of 8-byte slots (a 32-bit
// tag of the key's hash and the entry's position). std::unordered_map cost a division and
// three dependent loads per lookup (bucket, the node before, the node): with the table cold
// in cache, about 7% of a 500-field SetProjectData translation's time (perf). Here it is one
// slot and one entry. No erase: nothing needs one. Keys are hashed with short_hash (seeded).
// Internal to translators/.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "translators/short_hash.hpp"

namespace pcbridge::translators {

template <class V>
class flat_string_map {
 public:
  using value_type = std::pair<std::string, V>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  flat_string_map() = default;
  flat_string_map(std::initializer_list<value_type> entries) {
    for (const auto& e : entries) emplace(e.first, e.second);
  }

  // Adds the entry unless its key is there; the entry, and whether it was added.
  std::pair<const_iterator, bool> emplace(std::string key, V value) {
    const std::size_t hash = short_hash(key);
    if (const std::size_t at = position(key, hash); at != npos) return {begin() + static_cast<std::ptrdiff_t>(at), false};
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    entries_.emplace_back(std::move(key), std::move(value));
    place(entries_.size() - 1, hash);
    return {end() - 1, true};
  }

  const_iterator find(std::string_view key) const {
    const std::size_t at = position(key, short_hash(key));
    return at == npos ? end() : begin() + static_cast<std::ptrdiff_t>(at);
  }
  bool contains(std::string_view key) const { return find(key) != end(); }

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  struct slot {
    std::uint32_t tag = 0;    // the hash's high half
    std::uint32_t entry = 0;  // position + 1; 0 when free
  };
  static std::uint32_t tag_of(std::size_t hash) { return static_cast<std::uint32_t>(std::uint64_t{hash} >> 32); }

  // The entry of `key`, or npos (linear probing).
  std::size_t position(std::string_view key, std::size_t hash) const {
    if (slots_.empty()) return npos;
    const std::size_t mask = slots_.size() - 1;
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const slot& s = slots_[i];
      if (s.entry == 0) return npos;
      if (s.tag == tag && entries_[s.entry - 1].first == key) return s.entry - 1;
    }
  }

  void place(std::size_t entry, std::size_t hash) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].entry != 0) i = (i + 1) & mask;
    slots_[i] = slot{tag_of(hash), static_cast<std::uint32_t>(entry + 1)};
  }

  // Doubles the table (16 slots at first), so that it stays at most half full. The map is
  // filled once, so hashing the keys again here costs less than keeping their hashes.
  void grow() {
    slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, slot{});
    for (std::size_t e = 0; e < entries_.size(); ++e) place(e, short_hash(entries_[e].first));
  }

  std::vector<value_type> entries_;
  std::vector<slot> slots_;
};

// The same for a set of strings.
class flat_string_set {
 public:
  flat_string_set() = default;
  flat_string_set(std::initializer_list<std::string> keys) {
    for (const auto& k : keys) insert(k);
  }
  bool insert(std::string key) { return map_.emplace(std::move(key), true).second; }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  bool contains(std::string_view key) const { return map_.contains(key); }
  std::size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string*;
    using reference = const std::string&;

    explicit const_iterator(flat_string_map<bool>::const_iterator it) : it_(it) {}
    const std::string& operator*() const { return it_->first; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++it_;
      return before;
    }
    bool operator==(const const_iterator&) const = default;

   private:
    flat_string_map<bool>::const_iterator it_;
  };
  const_iterator begin() const { return const_iterator(map_.begin()); }
  const_iterator end() const { return const_iterator(map_.end()); }

 private:
  flat_string_map<bool> map_;
};

}  // namespace pcbridge::translators
