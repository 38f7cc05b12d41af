#include "tools/sim/sim_values.hpp"

#include "tools/sim/sim_time.hpp"

#include <algorithm>
#include <cstdlib>

namespace pcbridge::sim {

std::optional<double> parse_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const auto digits = [&] {
    const auto start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<std::string> value_error(const field_def& field, std::string_view value) {
  if (value.empty()) return std::nullopt;
  const std::string quoted = " (field " + field.id + ", value \"" + std::string(value) + "\")";
  switch (field.type) {
    case field_type::text:
      return std::nullopt;
    case field_type::date:
      if (is_iso_date(value)) return std::nullopt;
      return "Date values must be yyyy-MM-dd" + quoted;
    case field_type::boolean:
      if (value == "true" || value == "false") return std::nullopt;
      return "Boolean values must be \"true\" or \"false\"" + quoted;
    case field_type::number: {
      const auto n = parse_decimal(value);
      if (!n) return "Number values must be decimal numbers" + quoted;
      if (field.min && *n < *parse_decimal(*field.min)) return "Value is below the minimum " + *field.min + quoted;
      if (field.max && *n > *parse_decimal(*field.max)) return "Value is above the maximum " + *field.max + quoted;
      return std::nullopt;
    }
    case field_type::choice:
      if (std::find(field.choices.begin(), field.choices.end(), value) != field.choices.end()) return std::nullopt;
      return "Value is not one of the field's choices" + quoted;
  }
  return std::nullopt;
}

int compare_values(const field_def& field, std::string_view a, std::string_view b) {
  if (field.type == field_type::number) {
    const auto x = parse_decimal(a), y = parse_decimal(b);
    if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  }
  return a.compare(b) < 0 ? -1 : (a.compare(b) > 0 ? 1 : 0);
}

}  // namespace pcbridge::sim
