// Route matching plus query normalisation (match_v1) on arbitrary request targets, and
// normalize_changed_since on arbitrary values. Input: byte 0 selects the verb (low 3 bits),
// admin (0x80), the default offset (0x40) and, with 0x20, normalize_changed_since instead of
// match_v1; the rest is the target (or the value).
// Invariants: a match names a route and a V2 target under /services/v2/ with no empty, '.'
// or '..' path segment (also percent-encoded), no '#', and no control byte or space the
// request target did not already hold, at most linear in the input; a refusal is 4xx with
// a message that fits a V1 error body.
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "translators/query.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

bool has_control_or_space(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7F) return true;
  }
  return false;
}

void check_refusal(const failure& f) {
  FUZZ_CHECK(f.status >= 400 && f.status <= 499);
  FUZZ_CHECK(!f.message.empty());
  pcbridge::fuzz::check_v1_document(v1_error_body(f.status, f.message, "r1"));
}

void check_v2_path(std::string_view path) {
  FUZZ_CHECK(path.starts_with("/services/v2/"));
  path.remove_prefix(std::string_view("/services/v2/").size());
  while (true) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    FUZZ_CHECK(!segment.empty());
    const auto decoded = percent_decode(segment);
    FUZZ_CHECK(decoded.has_value());
    FUZZ_CHECK(*decoded != "." && *decoded != "..");
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}

bool digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// yyyy-MM-ddTHH:mm:ss[.f{1,7}](+|-)HH:mm or Z
void check_v2_timestamp(std::string_view t) {
  FUZZ_CHECK(t.size() >= 20);
  FUZZ_CHECK(digits(t.substr(0, 4)) && t[4] == '-' && digits(t.substr(5, 2)) && t[7] == '-' &&
             digits(t.substr(8, 2)) && t[10] == 'T' && digits(t.substr(11, 2)) && t[13] == ':' &&
             digits(t.substr(14, 2)) && t[16] == ':' && digits(t.substr(17, 2)));
  std::string_view rest = t.substr(19);
  if (rest.front() == '.') {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    FUZZ_CHECK(n >= 2 && n <= 8);
    rest.remove_prefix(n);
  }
  FUZZ_CHECK(rest == "Z" || (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
                             digits(rest.substr(1, 2)) && rest[3] == ':' && digits(rest.substr(4, 2))));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned selector = data[0];
  const std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);
  match_options opts;
  opts.admin = (selector & 0x80) != 0;
  if (selector & 0x40) opts.default_offset = "-07:00";

  if (selector & 0x20) {
    auto n = normalize_changed_since(target, opts.default_offset);
    if (!n) {
      check_refusal(n.error());
      FUZZ_CHECK(n.error().status == 400);
      return 0;
    }
    check_v2_timestamp(*n);
    return 0;
  }

  const auto verb = static_cast<http_verb>(selector & 0x07);
  auto m = match_v1(verb, target, opts);
  if (!m) {
    check_refusal(m.error());
    return 0;
  }
  FUZZ_CHECK(m->matched != nullptr);
  const std::string& v2 = m->v2_target;
  FUZZ_CHECK(v2.size() <= pcbridge::fuzz::linear_bound(size, 3));
  FUZZ_CHECK(v2.find('#') == std::string::npos);
  if (!has_control_or_space(target)) FUZZ_CHECK(!has_control_or_space(v2));
  check_v2_path(std::string_view(v2).substr(0, v2.find('?')));
  return 0;
}
