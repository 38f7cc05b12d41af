#pragma once
// Value conversions between V1 and V2 (mapping.md §3) and the escaping both output formats
// need. Pure functions over strings; the appenders write to the end of `out` and never
// allocate more than the text they add.
#include <optional>
#include <string>
#include <string_view>

namespace pcbridge::translators::value_format {

struct civil_date {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Exact V2 patterns used when no form schema is known (mapping.md §3).
bool is_v2_date(std::string_view s);     // ^\d{4}-\d{2}-\d{2}$
bool is_v2_boolean(std::string_view s);  // ^(true|false)$

// `yyyy-MM-dd` -> `MM/dd/yyyy`; the caller has checked `is_v2_date`.
void append_v1_date(std::string& out, std::string_view v2_date);
// "true" -> "True", "false" -> "False"; anything else unchanged.
std::string_view v1_boolean(std::string_view v2_boolean);

// V1 request dates: `MM/dd/yyyy`, `M/d/yyyy` or `yyyy-MM-dd`, checked against the calendar.
std::optional<civil_date> parse_v1_date(std::string_view s);
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

// A JSON member name as an XML name: valid names pass unchanged; other characters are written
// `_xHHHH_` as .NET XmlConvert.EncodeName does; "xmlns" and ':' are encoded so a member can
// never declare a namespace. Returns `name` itself when it is already valid.
std::string_view xml_name(std::string_view name, std::string& storage);

// RFC 3629 UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// JSON string literal with quotes; `s` is valid UTF-8.
void append_json_string(std::string& out, std::string_view s);

}  // namespace pcbridge::translators::value_format
