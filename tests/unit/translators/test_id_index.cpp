// translators/id_index.hpp: the per-write id -> number table, and its hash (short_hash.hpp).
#include <doctest/doctest.h>

#include <deque>
#include <string>

#include "translators/id_index.hpp"

using pcbridge::translators::id_index;
using pcbridge::translators::short_hash;

TEST_CASE("id_index: every id added is found with its value, others are not, across growth") {
  std::deque<std::string> ids;  // the index holds views: the strings must not move
  id_index index(2);            // far too small: it must grow
  for (int i = 0; i < 3000; ++i) {
    ids.push_back("DF" + std::to_string(i * 7919));
    const auto [value, added] = index.try_emplace(ids.back(), static_cast<std::uint32_t>(i));
    REQUIRE(added);
    REQUIRE(value == static_cast<std::uint32_t>(i));
  }
  for (int i = 0; i < 3000; ++i) {
    REQUIRE(index.find(ids[static_cast<std::size_t>(i)]) == static_cast<std::uint32_t>(i));
    const auto [value, added] = index.try_emplace(ids[static_cast<std::size_t>(i)], 99999);
    REQUIRE_FALSE(added);
    REQUIRE(value == static_cast<std::uint32_t>(i));
  }
  CHECK_FALSE(index.find("DF1").has_value());
  CHECK_FALSE(index.find("").has_value());
  CHECK_FALSE(index.find("DF7919 ").has_value());
}

// The hash reads ids as words and the bytes left over: a change of any one byte, at any
// position of an id of any length up to 24, must change it (for these ids it does; a byte the
// hash skipped would make two of them equal).
TEST_CASE("id_index hash: every byte of an id counts, whatever its length") {
  for (std::size_t size = 1; size <= 24; ++size) {
    const std::string id(size, 'a');
    const auto base = short_hash(id);
    for (std::size_t at = 0; at < size; ++at) {
      std::string other = id;
      other[at] = 'b';
      CHECK_MESSAGE(short_hash(other) != base, "byte ", at, " of ", size);
    }
    CHECK(short_hash(id + 'a') != base);  // the length counts too
  }
}
