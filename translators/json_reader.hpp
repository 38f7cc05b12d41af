#pragma once
// A validating pull reader over one JSON text (RFC 8259), for translators that walk the
// document once in order and write their output as they go, without building a DOM.
//
// Contract: every call either consumes well-formed input or records the first problem
// (`failed()`, `problem()`, `offset()`) and keeps failing afterwards. Strings are checked for
// valid UTF-8 and decoded; lone surrogates are rejected. Number tokens are returned as written.
// String views returned point into the input (no escapes) or into the caller's `storage`
// (escapes decoded), so they stay valid as long as both do.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "translators/byte_scan.hpp"

namespace pcbridge::translators::json {

enum class kind : std::uint8_t { object, array, string, number, boolean, null, end, invalid };

class reader {
 public:
  explicit reader(std::string_view text) : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

  // Kind of the next value (after whitespace) without consuming it.
  kind peek() {
    skip_ws();
    if (p_ == end_) return kind::end;
    switch (*p_) {
      case '{': return kind::object;
      case '[': return kind::array;
      case '"': return kind::string;
      case 't':
      case 'f': return kind::boolean;
      case 'n': return kind::null;
      default: return (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) ? kind::number : kind::invalid;
    }
  }

  // '{' or '[' (peek said so); then next_key / next_item until they return false.
  void begin_container() {
    ++p_;
    first_ = true;
  }

  // Reads the next member name of the current object and its ':'. False at '}' (consumed)
  // or on failure (check failed()).
  bool next_key(std::string_view& key, std::string& storage) {
    if (!separator('}')) return false;
    skip_ws();
    if (p_ == end_) return fail("unexpected end of input");
    if (*p_ != '"') return fail("expected a member name");
    if (!read_string(key, storage)) return false;
    skip_ws();
    if (p_ == end_ || *p_ != ':') return fail("expected ':' after a member name");
    ++p_;
    return true;
  }

  // True when another array item follows; false at ']' (consumed) or on failure.
  bool next_item() { return separator(']'); }

  bool read_string(std::string_view& s, std::string& storage) {
    skip_ws();
    if (p_ == end_ || *p_ != '"') return fail("expected a string");
    return string_at_quote(s, storage);
  }

  // A number token exactly as written (validated against the JSON grammar).
  bool read_number(std::string_view& raw);
  // true/false/null; `value` gets true for `true`.
  bool read_boolean(bool& value);
  bool read_null();
  // Any value, validated and discarded. `depth` counts toward the nesting limit. Most values
  // skipped are short strings and nulls: those are read here, inline; the rest out of line.
  bool skip_value(int depth) {
    if (depth > max_depth) return fail("nesting too deep");
    skip_ws();
    std::string_view ignored;
    if (p_ != end_ && *p_ == '"') return string_at_quote(ignored, skipped_);
    if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
      p_ += 4;
      return true;
    }
    return skip_other(depth);
  }

  // After the root value: only whitespace may follow.
  bool finish() {
    skip_ws();
    if (p_ != end_) return fail("unexpected data after the JSON document");
    return !failed_;
  }

  bool fail(const char* problem) {
    if (!failed_) {
      failed_ = true;
      problem_ = problem;
      offset_ = static_cast<std::size_t>(p_ - begin_);
    }
    return false;
  }
  bool failed() const { return failed_; }
  const char* problem() const { return problem_; }
  std::size_t offset() const { return offset_; }

  static constexpr int max_depth = 128;  // nesting limit: deeper input is refused, not recursed

 private:
  // Compact JSON (what V2 sends) has no whitespace at all: one inlined compare settles every
  // byte above ' ', and the loop stays out of line so it does not crowd the callers' inlining.
  void skip_ws() {
    if (p_ != end_ && static_cast<unsigned char>(*p_) > ' ') return;
    skip_ws_loop();
  }
  void skip_ws_loop();
  bool separator(char close) {
    if (failed_) return false;
    skip_ws();
    if (p_ == end_) return fail("unexpected end of input");
    if (*p_ == close) {
      ++p_;
      first_ = false;
      return false;
    }
    if (!first_) {
      if (*p_ != ',') return fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
      ++p_;
      skip_ws();
      if (p_ != end_ && *p_ == close) return fail("trailing comma");
    }
    first_ = false;
    return true;
  }
  // First byte at or after p that a plain string does not take (or end): strings are a large
  // share of a translation, and most are plain ASCII (ids, names, URLs).
  static const char* skip_plain(const char* p, const char* end) {
    return byte_scan::find_first<byte_scan::json_string_stop>(p, end);
  }
  // The string whose opening quote p_ is on. Always inlined: it is the inner loop of every
  // translation, and GCC 12 inlined it into some callers and not others as unrelated code
  // changed (callgrind: a 2% swing on a SetProjectData translation).
  [[gnu::always_inline]] bool string_at_quote(std::string_view& s, std::string& storage) {
    ++p_;
    const char* start = p_;
    p_ = skip_plain(p_, end_);
    if (p_ != end_ && *p_ == '"') {  // common case: plain ASCII, no escapes
      s = std::string_view(start, static_cast<std::size_t>(p_ - start));
      ++p_;
      return true;
    }
    return read_string_slow(start, s, storage);
  }
  bool skip_other(int depth);
  bool read_string_slow(const char* start, std::string_view& s, std::string& storage);
  // `word` is a literal, so the compare is inlined at its fixed length (a memcmp call was
  // most of the cost of a `null`).
  template <std::size_t N>
  bool read_literal(const char (&word)[N]) {
    constexpr std::size_t size = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < size || std::memcmp(p_, word, size) != 0) return fail("invalid literal");
    p_ += size;
    return true;
  }

  std::string skipped_;  // skip_value's decoded strings: one buffer, not one per value
  const char* p_;
  const char* begin_;
  const char* end_;
  bool first_ = true;
  bool failed_ = false;
  const char* problem_ = "";
  std::size_t offset_ = 0;
};

}  // namespace pcbridge::translators::json
