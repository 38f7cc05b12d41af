// Replays every fuzz target's corpus and minimised crashes as ordinary unit tests: each file
// under tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/ goes through the
// target's LLVMFuzzerTestOneInput (renamed pcbridge_fuzz_<target> here). A broken invariant
// throws from check_failed and fails the case naming the file; a memory error crashes the
// binary (and is reported by ASan in the sanitized build).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"

#define PCBRIDGE_FUZZ_TARGET(name) extern "C" int pcbridge_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef PCBRIDGE_FUZZ_TARGET

namespace pcbridge::fuzz {

void check_failed(const char* what, const char* file, int line) {
  throw std::runtime_error(std::string("fuzz invariant broken: ") + what + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace pcbridge::fuzz

namespace {

namespace fs = std::filesystem;
using entry_fn = int (*)(const std::uint8_t*, std::size_t);

std::vector<fs::path> inputs_of(const std::string& target, const char* kind) {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(PCBRIDGE_FUZZ_DIR) / kind / target;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string().front() != '.') out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t replay(const std::string& target, entry_fn entry, const char* kind) {
  std::size_t n = 0;
  for (const auto& path : inputs_of(target, kind)) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("input: " << path.string());
    CHECK_NOTHROW(entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    ++n;
  }
  return n;
}

}  // namespace

#define PCBRIDGE_FUZZ_TARGET(name)                                        \
  TEST_CASE("fuzz target " #name ": corpus and regressions hold") {       \
    const std::size_t corpus = replay(#name, pcbridge_fuzz_##name, "corpus"); \
    replay(#name, pcbridge_fuzz_##name, "regressions");                   \
    CHECK(corpus > 0);                                                    \
  }
#include "fuzz_targets.inc"
#undef PCBRIDGE_FUZZ_TARGET
