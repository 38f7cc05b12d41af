// translators/byte_scan.hpp: find_first takes sixteen bytes at a time (SSE2), then eight (word
// test), then one. Each class is checked against its own byte() definition, which is checked
// against the set written out here: every byte value at every offset of runs of 1 to 40 bytes
// (the sixteen-byte step, the word step, the overlapping last block, the byte tail), alone and
// with a flagged byte further on.
#include <doctest/doctest.h>

#include <string>

#include "translators/byte_scan.hpp"

namespace bs = pcbridge::translators::byte_scan;

namespace {

constexpr std::size_t run = 40;

template <class Class>
void check_class(bool (*in_set)(unsigned char)) {
  for (int value = 0; value < 256; ++value) {
    const auto c = static_cast<unsigned char>(value);
    REQUIRE_MESSAGE(Class::byte(c) == in_set(c), "byte() of ", value);
  }
  int flagged = 255;
  while (!in_set(static_cast<unsigned char>(flagged))) --flagged;
  // Every length up to `run`: the overlapping last block differs with the length.
  for (std::size_t size = 1; size <= run; ++size) {
    for (int value = 0; value < 256; ++value) {
      const auto c = static_cast<unsigned char>(value);
      for (std::size_t at = 0; at < size; ++at) {
        // 'a' is in no class. A second flagged byte (the highest byte value in the set) sits
        // after `at`: the first one must still be found.
        std::string text(size, 'a');
        text[at] = static_cast<char>(c);
        if (at + 3 < size) text[at + 3] = static_cast<char>(flagged);
        const char* found = bs::find_first<Class>(text.data(), text.data() + text.size());
        const std::size_t expected = in_set(c) ? at : at + 3 < size ? at + 3 : size;
        REQUIRE_MESSAGE(static_cast<std::size_t>(found - text.data()) == expected, "byte ", value, " at ", at, " of ", size);
      }
    }
  }
  const std::string none(run, 'a');
  CHECK(bs::find_first<Class>(none.data(), none.data() + none.size()) == none.data() + none.size());
  CHECK(bs::find_first<Class>(none.data(), none.data()) == none.data());
}

}  // namespace

TEST_CASE("byte_scan: JSON string stops are '\"', '\\\\', C0 controls and non-ASCII") {
  check_class<bs::json_string_stop>([](unsigned char c) { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\'; });
}

TEST_CASE("byte_scan: JSON escapes are '\"', '\\\\' and C0 controls, not DEL or non-ASCII") {
  check_class<bs::json_escape>([](unsigned char c) { return c <= 0x1F || c == '"' || c == '\\'; });
}

TEST_CASE("byte_scan: XML escapes are & < > \", C0 controls and 0xEF, not the apostrophe") {
  check_class<bs::xml_escape>(
      [](unsigned char c) { return c <= 0x1F || c == '&' || c == '<' || c == '>' || c == '"' || c == 0xEF; });
}

TEST_CASE("byte_scan: non-ASCII is 0x80 and above") {
  check_class<bs::non_ascii>([](unsigned char c) { return c >= 0x80; });
}

TEST_CASE("byte_scan: colon is ':' only") {
  check_class<bs::colon>([](unsigned char c) { return c == ':'; });
}
