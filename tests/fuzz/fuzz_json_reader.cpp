// The pull JSON reader (translators/json_reader.hpp), checked against nlohmann::json:
// input the reader accepts, nlohmann accepts and reads to the same value (strings decoded
// alike, numbers equal as nlohmann parses the raw token); input nlohmann accepts within the
// reader's nesting limit, the reader accepts; a refusal names a problem at an offset inside
// the input. skip_value runs on the same input and must agree with the walk.
#include <nlohmann/json.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "translators/json_reader.hpp"
#include "translators/json_whole.hpp"

namespace json = pcbridge::translators::json;

namespace {

// Set by walk() when a number token lies beyond a double's range (see kind::number).
bool beyond_double_range = false;

// Reads one value into a DOM; false on failure (reader holds the problem). `deepest`
// records the nesting the input reached.
bool walk(json::reader& r, int depth, nlohmann::json& out, int& deepest) {
  if (depth > deepest) deepest = depth;
  if (depth > json::reader::max_depth) return r.fail("nesting too deep");
  std::string storage;
  switch (r.peek()) {
    case json::kind::object: {
      r.begin_container();
      out = nlohmann::json::object();
      std::string_view key;
      while (r.next_key(key, storage)) {
        std::string k(key);
        nlohmann::json v;
        if (!walk(r, depth + 1, v, deepest)) return false;
        out[k] = std::move(v);
      }
      return !r.failed();
    }
    case json::kind::array: {
      r.begin_container();
      out = nlohmann::json::array();
      while (r.next_item()) {
        nlohmann::json v;
        if (!walk(r, depth + 1, v, deepest)) return false;
        out.push_back(std::move(v));
      }
      return !r.failed();
    }
    case json::kind::string: {
      std::string_view s;
      if (!r.read_string(s, storage)) return false;
      out = std::string(s);
      return true;
    }
    case json::kind::number: {
      std::string_view raw;
      if (!r.read_number(raw)) return false;
      out = nlohmann::json::parse(raw, nullptr, false);
      if (out.is_discarded()) {
        // RFC 8259 §6 lets a parser limit the range of numbers: nlohmann refuses one beyond a
        // double ("50E66663"), which the grammar-only reader passes on as written (fuzz finding,
        // regressions/json_reader/number_beyond_double_range). Only overflow may differ.
        const std::string token(raw);
        errno = 0;
        const double value = std::strtod(token.c_str(), nullptr);
        FUZZ_CHECK(errno == ERANGE && std::isinf(value));
        beyond_double_range = true;
        out = nullptr;
        return true;
      }
      FUZZ_CHECK(out.is_number());  // a token the reader accepts is a JSON number
      return true;
    }
    case json::kind::boolean: {
      bool b = false;
      if (!r.read_boolean(b)) return false;
      out = b;
      return true;
    }
    case json::kind::null:
      out = nullptr;
      return r.read_null();
    case json::kind::end:
      return r.fail("unexpected end of input");
    case json::kind::invalid:
      return r.fail("unexpected character");
  }
  return false;
}

// Nesting depth of a valid JSON text without recursion (strings skipped).
int text_depth(std::string_view s) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  json::reader r(text);
  nlohmann::json value;
  int deepest = 0;
  beyond_double_range = false;
  const bool ok = walk(r, 0, value, deepest) && r.finish();

  json::reader skipper(text);
  const bool skip_ok = skipper.skip_value(0) && skipper.finish();
  FUZZ_CHECK(ok == skip_ok);

  // nlohmann recurses per level: only ask it about texts of bounded depth.
  const int depth = text_depth(text);
  if (ok) {
    FUZZ_CHECK(depth <= json::reader::max_depth + 1);
    const auto theirs = nlohmann::json::parse(text, nullptr, false);
    // A number beyond a double's range: nlohmann refuses the text (see walk's kind::number).
    FUZZ_CHECK(theirs.is_discarded() == beyond_double_range);
    if (!beyond_double_range) FUZZ_CHECK(theirs == value);
  } else {
    FUZZ_CHECK(r.failed());
    FUZZ_CHECK(r.problem() != nullptr && *r.problem() != '\0');
    FUZZ_CHECK(r.offset() <= size);
    // parse_whole is the nlohmann entry point pcbridge uses (it refuses the NUL bytes that
    // nlohmann alone takes for the end of input): it must refuse what the reader refuses.
    if (depth <= json::reader::max_depth) FUZZ_CHECK(json::parse_whole(text).is_discarded());
  }
  return 0;
}
