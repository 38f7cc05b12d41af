#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"

namespace pcbridge::config {
namespace {

std::string hex(const std::array<unsigned char, 32>& digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

TEST_CASE("sha256 matches the FIPS 180-2 vectors") {
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 hashes embedded NUL bytes") {
  CHECK(sha256(std::string("a\0b", 3)) != sha256("a"));
}

}  // namespace
}  // namespace pcbridge::config
