#pragma once
// V1 XML request bodies -> V2 JSON request bodies (mapping.md §5), behind v1_request_to_v2 and
// v1_request_to_v2_with_current. Requests are small: they are parsed with pugixml.
#include <optional>
#include <pugixml.hpp>
#include <string_view>

#include "translators/method.hpp"
#include "translators/outcome.hpp"
#include "translators/translate.hpp"

namespace pcbridge::translators {

// Limits and accepted namespaces of V1 request bodies.
inline constexpr int max_request_xml_depth = 64;
// mapping.md §1: the V1 namespace, also without its trailing slash, or no namespace at all.
inline constexpr std::string_view v1_namespace_without_slash = "http://service.powerclerk.com/api/v1";

// `current_v2_json`: the current data answer for a partial multi-instance SetProjectData
// (nullopt on the first step). 400 for bad V1 input, 502 when `current_v2_json` cannot be read.
outcome<translated> v1_xml_to_json(method_id method, std::string_view v1_xml,
                                   std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx);
// The same, for a body read by read_v1_request.
outcome<translated> v1_xml_to_json(const v1_request& request, std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx);

// What read_v1_request keeps: the parsed document, or, for bodies there is nothing to parse
// (none, binary, empty), the translation itself.
struct v1_request::state {
  method_id method{};
  pugi::xml_document doc;
  pugi::xml_node root;                    // null when `early` holds the answer
  std::optional<outcome<translated>> early;
};

}  // namespace pcbridge::translators
