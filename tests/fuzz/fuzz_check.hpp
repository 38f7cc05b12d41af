#pragma once
// Invariant checks shared by the fuzz targets. A target is one LLVMFuzzerTestOneInput per
// file; the same file is compiled into its libFuzzer binary (clang, PCBRIDGE_FUZZ) and into
// the fuzz_regressions doctest binary of every normal build, which replays the corpora and
// the minimised crashes. `check_failed` is defined by whichever binary links the target:
// the libFuzzer build aborts (libFuzzer records the input), the regression binary throws so
// doctest names the file and the broken invariant.
#include <cstddef>
#include <cstdint>
#include <string_view>

#ifdef PCBRIDGE_FUZZ_ENTRY
// Several targets link into one regression binary: each gets its own entry name.
#define LLVMFuzzerTestOneInput PCBRIDGE_FUZZ_ENTRY
#endif

namespace pcbridge::fuzz {

[[noreturn]] void check_failed(const char* what, const char* file, int line);

// Well-formed UTF-8 (RFC 3629) containing only characters XML 1.0 allows
// (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]).
bool xml_chars_ok(std::string_view s);

// One well-formed XML document (pugixml; only XML 1.0 characters; no element with the same
// attribute twice, which pugixml does not check and .NET refuses) whose root element is in
// the V1 namespace.
void check_v1_document(std::string_view xml);

// Bytes a linear-time translator may write for `input_size` bytes in.
constexpr std::size_t linear_bound(std::size_t input_size, std::size_t factor) {
  return 4096 + factor * input_size;
}

}  // namespace pcbridge::fuzz

#define FUZZ_CHECK(cond) \
  ((cond) ? (void)0 : ::pcbridge::fuzz::check_failed(#cond, __FILE__, __LINE__))
