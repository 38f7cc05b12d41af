#pragma once
// Finding the first byte of a class in a run of text: the loops that JSON strings (read and
// written), XML escaping and the UTF-8 check spend most of a translation in (callgrind). Most
// runs hold no such byte, so sixteen bytes are tested at once with SSE2 (every x86-64 has
// it), then eight with a word test, then the last few one at a time.
//
// A class gives the same set three ways: `sse2(v)` (0xFF for each flagged byte), `word(w)`
// (the high bit of each flagged byte of a little-endian word) and `byte(c)`. In the word
// tests only the lowest flagged byte is exact: a borrow runs upward from a flagged byte only,
// so it can flag bytes above the first one, never below it, and the first is all we use.
// Internal to translators/.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pcbridge::translators::byte_scan {

namespace swar {
constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
constexpr std::uint64_t zero_bytes(std::uint64_t v) { return (v - ones) & ~v & high; }
constexpr std::uint64_t equal(std::uint64_t w, unsigned char c) { return zero_bytes(w ^ (c * ones)); }
constexpr std::uint64_t below_0x20(std::uint64_t w) { return (w - 0x20 * ones) & ~w & high; }
constexpr std::uint64_t non_ascii(std::uint64_t w) { return w & high; }
}  // namespace swar

#if defined(__SSE2__)
namespace simd {
inline __m128i equal(__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }
// Unsigned v <= 0x1F: the minimum of the two is v itself.
inline __m128i below_0x20(__m128i v) { return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v); }
}  // namespace simd
#endif

// Where the JSON reader's plain-string loop stops: '"', '\\', a C0 control or non-ASCII.
struct json_string_stop {
#if defined(__SSE2__)
  // The signed compare takes both the controls and every byte from 0x80 up (negative).
  static __m128i sse2(__m128i v) {
    return _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_or_si128(simd::equal(v, '"'), simd::equal(v, '\\')));
  }
#endif
  static std::uint64_t word(std::uint64_t w) {
    return swar::non_ascii(w) | swar::below_0x20(w) | swar::equal(w, '"') | swar::equal(w, '\\');
  }
  static bool byte(unsigned char c) { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\'; }
};

// What a JSON string being written must escape: '"', '\\' and C0 controls.
struct json_escape {
#if defined(__SSE2__)
  static __m128i sse2(__m128i v) {
    return _mm_or_si128(simd::below_0x20(v), _mm_or_si128(simd::equal(v, '"'), simd::equal(v, '\\')));
  }
#endif
  static std::uint64_t word(std::uint64_t w) { return swar::below_0x20(w) | swar::equal(w, '"') | swar::equal(w, '\\'); }
  static bool byte(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }
};

// What XML text being written must look at: the specials & < > ", C0 controls, and 0xEF (the
// first byte of U+FFFE/U+FFFF, which XML may not carry).
struct xml_escape {
#if defined(__SSE2__)
  static __m128i sse2(__m128i v) {
    const __m128i markup = _mm_or_si128(_mm_or_si128(simd::equal(v, '&'), simd::equal(v, '<')),
                                        _mm_or_si128(simd::equal(v, '>'), simd::equal(v, '"')));
    return _mm_or_si128(markup, _mm_or_si128(simd::below_0x20(v), simd::equal(v, static_cast<char>(0xEF))));
  }
#endif
  static std::uint64_t word(std::uint64_t w) {
    // '"' 0x22 and '&' 0x26 differ in one bit, as '<' 0x3C and '>' 0x3E do: one test per pair.
    return swar::below_0x20(w) | swar::zero_bytes((w | 0x04 * swar::ones) ^ 0x26 * swar::ones) |
           swar::zero_bytes((w | 0x02 * swar::ones) ^ 0x3E * swar::ones) | swar::equal(w, 0xEF);
  }
  static bool byte(unsigned char c) { return c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == 0xEF; }
};

// The ':' of a qualified name (v1_xml::local_name).
struct colon {
#if defined(__SSE2__)
  static __m128i sse2(__m128i v) { return simd::equal(v, ':'); }
#endif
  static std::uint64_t word(std::uint64_t w) { return swar::equal(w, ':'); }
  static bool byte(unsigned char c) { return c == ':'; }
};

// Bytes from 0x80 up: where the UTF-8 check has work to do.
struct non_ascii {
#if defined(__SSE2__)
  static __m128i sse2(__m128i v) { return v; }  // movemask takes each byte's high bit
#endif
  static std::uint64_t word(std::uint64_t w) { return swar::non_ascii(w); }
  static bool byte(unsigned char c) { return c >= 0x80; }
};

// The first byte of [p, end) in `Class`, or end. The last few bytes of a run of at least 16
// (or 8) are tested as one block that ends at `end` and overlaps bytes already passed: those
// hold no flagged byte, so the block's first flag is past them. Most runs are values and ids
// of 8 to 40 bytes, where a byte-at-a-time tail was the larger part of the scan (callgrind).
template <class Class>
const char* find_first(const char* p, const char* end) {
  const char* const begin = p;
#if defined(__SSE2__)
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto flagged = static_cast<unsigned>(_mm_movemask_epi8(Class::sse2(v)));
    if (flagged != 0) return p + std::countr_zero(flagged);
    p += 16;
  }
  if (p != end && end - begin >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
    const auto flagged = static_cast<unsigned>(_mm_movemask_epi8(Class::sse2(v)));
    return flagged != 0 ? end - 16 + std::countr_zero(flagged) : end;
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t flagged = Class::word(w);
      if (flagged != 0) return p + std::countr_zero(flagged) / 8;
      p += 8;
    }
    if (p != end && end - begin >= 8) {
      std::uint64_t w;
      std::memcpy(&w, end - 8, 8);
      const std::uint64_t flagged = Class::word(w);
      return flagged != 0 ? end - 8 + std::countr_zero(flagged) / 8 : end;
    }
  }
  while (p != end && !Class::byte(static_cast<unsigned char>(*p))) ++p;
  return p;
}

}  // namespace pcbridge::translators::byte_scan
