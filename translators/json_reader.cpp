#include "translators/json_reader.hpp"

#include "translators/value_format.hpp"

namespace pcbridge::translators::json {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}


// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0.
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char b0 = p[0];
  const auto avail = static_cast<std::size_t>(end - p);
  auto cont = [&](std::size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (b0 == 0xED && p[1] > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void reader::skip_ws_loop() {
  while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

bool reader::read_string_slow(const char* start, std::string_view& s, std::string& storage) {
  // p_ stops at the first byte the fast loop did not take: '"', '\\', a control or non-ASCII.
  bool escaped = false;
  const char* run = start;
  while (true) {
    p_ = skip_plain(p_, end_);
    if (p_ == end_) return fail("unterminated string");
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') break;
    if (c < 0x20) return fail("control character in a string");
    if (c >= 0x80) {
      const auto n = utf8_length(reinterpret_cast<const unsigned char*>(p_),
                                 reinterpret_cast<const unsigned char*>(end_));
      if (n == 0) return fail("invalid UTF-8 in a string");
      p_ += n;
      continue;
    }
    // Backslash: switch to the decoded copy.
    if (!escaped) {
      storage.clear();
      escaped = true;
    }
    storage.append(run, static_cast<std::size_t>(p_ - run));
    ++p_;
    if (p_ == end_) return fail("unterminated string");
    switch (*p_) {
      case '"': storage += '"'; break;
      case '\\': storage += '\\'; break;
      case '/': storage += '/'; break;
      case 'b': storage += '\b'; break;
      case 'f': storage += '\f'; break;
      case 'n': storage += '\n'; break;
      case 'r': storage += '\r'; break;
      case 't': storage += '\t'; break;
      case 'u': {
        auto read4 = [this](std::uint32_t& v) {
          if (end_ - p_ < 5) return false;
          v = 0;
          for (int i = 1; i <= 4; ++i) {
            const int h = hex_value(p_[i]);
            if (h < 0) return false;
            v = (v << 4) | static_cast<std::uint32_t>(h);
          }
          p_ += 4;  // now on the last hex digit
          return true;
        };
        std::uint32_t cp = 0;
        if (!read4(cp)) return fail("invalid \\u escape");
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t lo = 0;
          if (end_ - p_ < 3 || p_[1] != '\\' || p_[2] != 'u') return fail("lone surrogate in \\u escape");
          p_ += 2;
          if (!read4(lo)) return fail("invalid \\u escape");
          if (lo < 0xDC00 || lo > 0xDFFF) return fail("lone surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        value_format::append_utf8(storage, cp);
        break;
      }
      default: return fail("invalid escape in a string");
    }
    ++p_;
    run = p_;
  }
  if (escaped) {
    storage.append(run, static_cast<std::size_t>(p_ - run));
    s = storage;
  } else {
    s = std::string_view(start, static_cast<std::size_t>(p_ - start));
  }
  ++p_;  // closing quote
  return true;
}

bool reader::read_number(std::string_view& raw) {
  skip_ws();
  const char* start = p_;
  auto digit = [this] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
  if (p_ != end_ && *p_ == '-') ++p_;
  if (!digit()) return fail("invalid number");
  if (*p_ == '0') {
    ++p_;
  } else {
    while (digit()) ++p_;
  }
  if (p_ != end_ && *p_ == '.') {
    ++p_;
    if (!digit()) return fail("invalid number");
    while (digit()) ++p_;
  }
  if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (!digit()) return fail("invalid number");
    while (digit()) ++p_;
  }
  raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
  return true;
}

bool reader::read_boolean(bool& value) {
  skip_ws();
  if (p_ != end_ && *p_ == 't') {
    value = true;
    return read_literal("true");
  }
  value = false;
  return read_literal("false");
}

bool reader::read_null() {
  skip_ws();
  return read_literal("null");
}

bool reader::skip_other(int depth) {
  std::string_view ignored;
  switch (peek()) {
    case kind::object:
      begin_container();
      while (next_key(ignored, skipped_)) {
        if (!skip_value(depth + 1)) return false;
      }
      return !failed_;
    case kind::array:
      begin_container();
      while (next_item()) {
        if (!skip_value(depth + 1)) return false;
      }
      return !failed_;
    case kind::string: return read_string(ignored, skipped_);
    case kind::number: return read_number(ignored);
    case kind::boolean: {
      bool b = false;
      return read_boolean(b);
    }
    case kind::null: return read_null();
    case kind::end: return fail("unexpected end of input");
    case kind::invalid: break;
  }
  return fail("unexpected character");
}

}  // namespace pcbridge::translators::json
