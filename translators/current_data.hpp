#pragma once
// The current instance lists a partial SetProjectData write is patched into (mapping.md §5),
// read from the V2 data answer in one validating pass (json::reader), keeping only the fields
// the write names. Internal to translators/ (v1_xml_project_data.cpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "translators/id_index.hpp"
#include "translators/method.hpp"
#include "translators/outcome.hpp"

namespace pcbridge::translators::v1_xml {

// The current values of each id `wanted` numbers (0 .. wanted_count-1), at that number. An id
// names the first field whose DataFieldId or CustomId it is; a field with a `Values` list
// gives that list (null items are ""; numbers and booleans as written), otherwise its string
// `Value` as a list of one. An id the answer does not have is nullopt. Only the wanted
// fields' values are copied. 502 when the answer is not valid JSON or not a data answer.
using current_lists = std::vector<std::optional<std::vector<std::string>>>;

outcome<current_lists> read_current_values(method_id m, std::string_view v2_json, const id_index& wanted,
                                           std::size_t wanted_count);

}  // namespace pcbridge::translators::v1_xml
