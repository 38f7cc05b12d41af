// translators/flat_string_map.hpp: the field-type maps' container.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "translators/flat_string_map.hpp"

using pcbridge::translators::flat_string_map;
using pcbridge::translators::flat_string_set;

TEST_CASE("flat_string_map: the first entry of a key stays; lookups by view; insertion order; growth") {
  flat_string_map<int> map;
  CHECK(map.empty());
  CHECK(map.find("x") == map.end());
  for (int i = 0; i < 1000; ++i) {
    const auto [it, added] = map.emplace("K" + std::to_string(i), i);
    REQUIRE(added);
    REQUIRE(it->second == i);
  }
  const auto [again, added] = map.emplace("K7", 70);
  CHECK_FALSE(added);
  CHECK(again->second == 7);
  CHECK(map.size() == 1000);
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "K" + std::to_string(i);
    const auto it = map.find(std::string_view(key));
    REQUIRE(it != map.end());
    REQUIRE(it->second == i);
  }
  CHECK(map.find("K1000") == map.end());
  CHECK(map.find("") == map.end());
  CHECK_FALSE(map.contains("k7"));
  int expected = 0;
  for (const auto& [key, value] : map) {
    REQUIRE(key == "K" + std::to_string(expected));
    REQUIRE(value == expected++);
  }
}

TEST_CASE("flat_string_map and flat_string_set from braces; a set's keys in insertion order") {
  const flat_string_map<char> map = {{"b", 'B'}, {"a", 'A'}, {"b", 'X'}};
  CHECK(map.size() == 2);
  CHECK(map.find("b")->second == 'B');
  flat_string_set set = {"m", "d", "m"};
  CHECK(set.size() == 2);
  CHECK(set.insert("x"));
  CHECK_FALSE(set.insert("d"));
  CHECK(set.contains("x"));
  CHECK_FALSE(set.contains("y"));
  CHECK(std::vector<std::string>(set.begin(), set.end()) == std::vector<std::string>{"m", "d", "x"});
  flat_string_set copy;
  copy.insert(set.begin(), set.end());
  CHECK(copy.size() == 3);
}
