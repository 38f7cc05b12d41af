// check_failed for the libFuzzer binaries: report and abort, so libFuzzer saves the input.
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_check.hpp"

namespace pcbridge::fuzz {

void check_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, file, line);
  std::abort();
}

}  // namespace pcbridge::fuzz
