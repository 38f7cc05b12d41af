// normalize_changed_since (declared in route_table.hpp): V1 accepted loose timestamps,
// V2 only yyyy-MM-ddTHH:mm:ss[.FFFFFFF]zzz, so every V1 form is rewritten here or refused
// with a 400 before anything goes upstream.
#include <string>

#include "translators/query.hpp"
#include "translators/route_table.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators {

namespace {

namespace vf = value_format;

void append_two(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

std::string bad_changed_since(std::string_view value) {
  return "changed_since value \"" + quote_for_message(value) +
         "\" is not a valid timestamp (use yyyy-MM-dd, MM/dd/yyyy or "
         "yyyy-MM-ddTHH:mm:ss[.fffffff]+HH:mm)";
}

}  // namespace

// The shapes are those of every V1 date (value_format::parse_v1_timestamp, mapping.md §3);
// only the output keeps the whole timestamp (mapping.md §2).
outcome<std::string> normalize_changed_since(std::string_view v1_value,
                                             std::string_view default_offset) {
  const auto t = vf::parse_v1_timestamp(v1_value);
  if (!t) return failure{400, bad_changed_since(v1_value)};
  std::string out = vf::format_v2_date(t->date);
  out += 'T';
  append_two(out, t->hour);
  out += ':';
  append_two(out, t->minute);
  out += ':';
  append_two(out, t->second);
  if (!t->fraction.empty()) {
    out += '.';
    out.append(t->fraction);
  }
  if (!t->has_offset) {
    out.append(default_offset);
    return out;
  }
  out += t->offset_sign;
  append_two(out, t->offset_hours);
  out += ':';
  append_two(out, t->offset_minutes);
  return out;
}

}  // namespace pcbridge::translators
