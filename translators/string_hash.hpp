#pragma once
// Hash and equality that let unordered containers keyed by std::string be searched with a
// std::string_view (C++20 heterogeneous lookup), so a lookup builds no temporary string.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "translators/short_hash.hpp"

namespace pcbridge::translators {

struct string_hash {
  using is_transparent = void;
  // Not noexcept, on purpose: libstdc++ then keeps each key's hash in its node (as it does for
  // std::hash<std::string>), so a lookup compares stored hashes instead of hashing every key
  // it walks past in a bucket: ~170 -> ~60 instructions per field-type lookup (callgrind).
  std::size_t operator()(std::string_view s) const { return short_hash(s); }
};

template <class V>
using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;
using string_set = std::unordered_set<std::string, string_hash, std::equal_to<>>;

}  // namespace pcbridge::translators
