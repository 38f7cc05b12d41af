#pragma once
// Data-field value rules (v2-api.md §2.6): every value is a string; dates yyyy-MM-dd,
// booleans "true"/"false", numbers like "0.5", choices from the field's list.
#include "tools/sim/sim_model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pcbridge::sim {

// Why `value` cannot be stored in `field`, or nullopt when it can. "" is always allowed:
// it clears an instance.
std::optional<std::string> value_error(const field_def& field, std::string_view value);

// A decimal number as V2 writes them: optional '-', digits, optional '.' and digits.
std::optional<double> parse_decimal(std::string_view s);

// Orders two stored values of one field: numerically for Number fields, by text otherwise
// (which orders yyyy-MM-dd dates correctly). Negative, zero or positive.
int compare_values(const field_def& field, std::string_view a, std::string_view b);

}  // namespace pcbridge::sim
