#pragma once
// The streaming V2 JSON -> V1 XML translator behind v2_response_to_v1: one pass over the JSON
// text with json::reader, rules from response_rules, output appended to one string. Only the
// parts a rule needs are buffered, per element: the attributes of the element being read (its
// start tag is written when its first child element starts; a scalar arriving after that is
// inserted into the written tag), synthesized children such as <Url Value>, and each
// multi-instance data field (written once per instance when it ends).
#include <string_view>

#include "translators/method.hpp"
#include "translators/outcome.hpp"
#include "translators/translate.hpp"

namespace pcbridge::translators {

// `root` is the V1 root element name. Failures are 502 "<Method>: cannot translate V2 answer:
// <path> <problem>"; the path names the member ("Project.DataFields[3].Values", "(root)").
outcome<translated> json_to_v1_xml(method_id method, std::string_view root, std::string_view v2_json,
                                   const translate_context& ctx);

}  // namespace pcbridge::translators
