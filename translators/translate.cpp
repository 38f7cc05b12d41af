// Entry points of the body translators (translate.hpp): pick the root and the direction,
// delegate to the streaming response translator or the request translator.
#include "translators/translate.hpp"

#include "translators/json_to_v1_xml.hpp"
#include "translators/response_rules.hpp"
#include "translators/v1_xml_jobs.hpp"
#include "translators/v1_xml_to_json.hpp"

namespace pcbridge::translators {

outcome<translated> v2_response_to_v1(method_id method, std::string_view v2_json, const translate_context& ctx) {
  std::string storage;
  const std::string_view root = rules::root_name(method, ctx.profile(), storage);
  return json_to_v1_xml(method, root, v2_json, ctx);
}

outcome<translated> v1_request_to_v2(method_id method, std::string_view v1_xml, const translate_context& ctx) {
  return v1_xml_to_json(method, v1_xml, std::nullopt, ctx);
}

outcome<translated> v1_request_to_v2_with_current(method_id method, std::string_view v1_xml,
                                                  std::string_view current_v2_json, const translate_context& ctx) {
  return v1_xml_to_json(method, v1_xml, current_v2_json, ctx);
}

outcome<translated> v1_request_to_v2(const v1_request& request, const translate_context& ctx) {
  return v1_xml_to_json(request, std::nullopt, ctx);
}

outcome<translated> v1_request_to_v2_with_current(const v1_request& request, std::string_view current_v2_json,
                                                  const translate_context& ctx) {
  return v1_xml_to_json(request, current_v2_json, ctx);
}

outcome<translated> v1_request_to_v2_with_current(const translated& first_step, std::string_view current_v2_json) {
  if (!first_step.pending) return failure{500, "SetProjectData: no pending write to patch the current data into"};
  return v1_xml::finish_project_data(*first_step.pending, current_v2_json);
}

}  // namespace pcbridge::translators
