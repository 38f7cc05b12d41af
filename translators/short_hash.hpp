#pragma once
// The hash of the tables keyed by field ids (id_index.hpp, flat_string_map.hpp).
// Internal to translators/.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string_view>

namespace pcbridge::translators {

namespace detail {
// Chosen at random once per process: ids are the client's, and with a fixed hash a client
// could send ids that all land on one run of slots (quadratic work for one request).
inline const std::uint64_t short_hash_seed = [] {
  std::random_device random;
  return (std::uint64_t{random()} << 32) ^ random();
}();
}  // namespace detail

// Ids are short (8 to 20 bytes), so they are read as 8-byte words (the last overlapping the
// one before) and each is mixed in with the splitmix64 finaliser. Inline: std::hash is a
// call into libstdc++ of about 45 instructions for an 11-byte id (callgrind).
inline std::size_t short_hash(std::string_view s) {
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  };
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = detail::short_hash_seed ^ (n * 0x9E3779B97F4A7C15ull);
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
  return static_cast<std::size_t>(mix(h ^ w));
}

}  // namespace pcbridge::translators
