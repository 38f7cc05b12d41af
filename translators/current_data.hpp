#pragma once
// The current instance lists a partial SetProjectData write is patched into (mapping.md §5),
// read from the V2 data answer in one validating pass (json::reader), keeping only the fields
// the write names. Internal to translators/ (v1_xml_project_data.cpp).
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "translators/method.hpp"
#include "translators/outcome.hpp"

namespace pcbridge::translators::v1_xml {

// Field id -> its current values. An id names the first field whose DataFieldId or CustomId
// it is; a field with a `Values` list gives that list (null items are ""; numbers and
// booleans as written), otherwise its string `Value` as a list of one. Ids the answer does
// not have are absent. 502 when the answer is not valid JSON or not a data answer.
using current_values_by_id = std::unordered_map<std::string, std::vector<std::string>>;

outcome<current_values_by_id> read_current_values(method_id m, std::string_view v2_json,
                                                  const std::unordered_set<std::string_view>& wanted);

}  // namespace pcbridge::translators::v1_xml
