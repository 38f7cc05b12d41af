#pragma once
// Value conversions between V1 and V2 (mapping.md §3) and the escaping both output formats
// need. Pure functions over strings; the appenders write to the end of `out` and never
// allocate more than the text they add.
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

namespace pcbridge::translators::value_format {

// `s` without leading and trailing XML whitespace (space, tab, CR, LF).
std::string_view trim(std::string_view s);

struct civil_date {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Exact V2 patterns used when no form schema is known (mapping.md §3). A V2 date is
// `yyyy-MM-dd` *and* a real calendar date: `2024-13-45` is not one, so no conversion ever
// rewrites it (it would come out as `13/45/2024`).
bool is_v2_date(std::string_view s);     // ^\d{4}-\d{2}-\d{2}$, checked against the calendar
bool is_v2_boolean(std::string_view s);  // ^(true|false)$

// `yyyy-MM-dd` -> `MM/dd/yyyy`; the caller has checked `is_v2_date`.
void append_v1_date(std::string& out, std::string_view v2_date);
// "true" -> "True", "false" -> "False"; anything else unchanged.
std::string_view v1_boolean(std::string_view v2_boolean);

// A date (and maybe a time) as a V1 client wrote it: .NET clients format DateTime with
// ToString() (`10/28/2014 12:00:00 AM`), the invariant "G" form (`10/28/2014 00:00:00`),
// "s"/"o" (`2014-10-28T00:00:00[.fffffff][zzz]`) or a bare date (mapping.md §3):
//   date   yyyy-MM-dd | M/d/yyyy | MM/dd/yyyy                 (checked against the calendar)
//   time   after yyyy-MM-dd: 'T' HH:mm:ss ; after a slash date: ' ' H:mm:ss [' ' AM|PM]
//          (there '+' may stand for each space: form-encoded queries)
//          then optionally a fraction of 1-7 digits after '.' (or ':', as the V1 docs print it)
//   offset after a time: Z | ±HH | ±HHmm | ±HH:mm, where a space stands for a '+' that
//          form decoding turned into one (in range -12:00..+14:00)
// The one parser for SetProjectData Date values, ByData Content and changed_since.
struct v1_timestamp {
  civil_date date;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;  // 24-hour clock
  std::string_view fraction;             // digits as written (points into the input), may be empty
  bool has_offset = false;
  char offset_sign = '+';
  int offset_hours = 0, offset_minutes = 0;
};
std::optional<v1_timestamp> parse_v1_timestamp(std::string_view s);
// The date part of parse_v1_timestamp (whatever time follows is dropped).
std::optional<civil_date> parse_v1_date(std::string_view s);
// The shapes parse_v1_date accepts, for error messages.
inline constexpr std::string_view v1_date_shapes =
    "yyyy-MM-dd, M/d/yyyy or MM/dd/yyyy, optionally followed by a time";
std::string format_v2_date(const civil_date& d);  // yyyy-MM-dd
// V1 request booleans as .NET bool.Parse read them: true/false in any case, surrounding
// whitespace allowed. Returns "true"/"false", or nothing when `s` is not a boolean.
std::optional<std::string_view> parse_v1_boolean(std::string_view s);

// Inquiry timestamps `yyyy-MM-ddTHH:mm:ss[.f…](±HH[:mm]|±HHmm|Z)` -> `MM/dd/yyyy` (the local
// date as written, no time-zone shift; lossy as V1 was). Nothing when `s` is not one.
bool is_inquiry_timestamp(std::string_view s);

// XML text and attribute escaping: & < > " and tab/CR/LF as character references, characters
// XML 1.0 cannot carry (other C0 controls, U+FFFE, U+FFFF) as U+FFFD. `s` is valid UTF-8.
void append_xml_escaped(std::string& out, std::string_view s);
// Appends code point `c` (at most U+10FFFF; callers check validity) as UTF-8.
void append_utf8(std::string& out, std::uint32_t c);

// A JSON member name as an XML name: valid names pass unchanged; other characters are written
// `_xHHHH_` as .NET XmlConvert.EncodeName does; "xmlns" and ':' are encoded so a member can
// never declare a namespace. Returns `name` itself when it is already valid.
std::string_view xml_name(std::string_view name, std::string& storage);

// RFC 3629 UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// JSON string literal with quotes; `s` is valid UTF-8.
void append_json_string(std::string& out, std::string_view s);
// The same without the quotes, for writers that append them with the text around (one append
// for `","Value":"` instead of three).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace pcbridge::translators::value_format
