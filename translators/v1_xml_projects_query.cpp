// GetProjectsByNumber and GetProjectsByData request bodies (mapping.md §5).
#include <algorithm>
#include <optional>
#include <string>

#include "translators/v1_xml_jobs.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::v1_xml {

namespace {

namespace vf = value_format;

// (I) mapping.md §5: GetProjectsByData keeps the V1 names in JSON; the status filter list is
// "Status" (always an array) and DataFields is the array of Field objects.
constexpr std::string_view by_data_status_filter = "FilterByCurrentStatuses";
constexpr std::string_view by_data_status_list = "Status";
constexpr std::string_view by_data_fields = "DataFields";
constexpr std::string_view by_data_field = "Field";
constexpr std::string_view by_data_content = "Content";
constexpr std::string_view by_data_field_id = "Id";
// (I) mapping.md §5: GetProjectsByNumber sends the numbers of every ProjectNumber element
// (its text or its Value attribute; a list separated by commas or whitespace is split) and of
// a ProjectNumbers element that holds text itself; duplicates are sent once, under the JSON
// member compat by_number_json_name (default ProjectNumbers).
constexpr std::string_view by_number_element = "ProjectNumber";
constexpr std::string_view by_number_list_element = "ProjectNumbers";
constexpr std::string_view by_number_value = "Value";
constexpr std::string_view by_number_expected =
    "no project number found; expected <ProjectByNumberRequest xmlns=\"http://service.powerclerk.com/api/v1/\">"
    "<ProjectNumbers><ProjectNumber>NM-00001</ProjectNumber></ProjectNumbers></ProjectByNumberRequest>";

void add_numbers(std::string_view text, ojson& list) {
  constexpr std::string_view separators = ", \t\r\n";
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto start = text.find_first_not_of(separators, pos);
    if (start == std::string_view::npos) break;
    const auto end = std::min(text.find_first_of(separators, start), text.size());
    const std::string number(text.substr(start, end - start));
    if (std::find(list.begin(), list.end(), number) == list.end()) list.push_back(number);
    pos = end;
  }
}

void collect_project_numbers(pugi::xml_node n, ojson& list) {
  // Iterative pre-order walk (depth is already bounded by load()).
  const pugi::xml_node top = n;
  while (n) {
    const std::string_view name = local_name(n.name());
    if (name == by_number_element || name == by_number_list_element) {
      add_numbers(text_content(n), list);
      for (pugi::xml_attribute a : n.attributes()) {
        if (local_name(a.name()) == by_number_value && !is_namespace_declaration(a.name())) add_numbers(a.value(), list);
      }
    }
    if (pugi::xml_node c = first_element(n)) {
      n = c;
      continue;
    }
    while (n && n != top && !next_element(n)) n = n.parent();
    if (!n || n == top) break;
    n = next_element(n);
  }
}

ojson as_array(ojson v) {
  if (v.is_array()) return v;
  if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) return ojson::array();
  ojson list = ojson::array();
  list.push_back(std::move(v));
  return list;
}

}  // namespace

outcome<translated> projects_by_number(pugi::xml_node root, const translate_context& ctx) {
  ojson list = ojson::array();
  if (root) collect_project_numbers(root, list);
  // Never an empty list upstream (an empty body included): V2 answers it with no projects, a
  // silent failure.
  if (list.empty()) return bad_request(method_id::GetProjectsByNumber, by_number_expected);
  ojson body = ojson::object();
  body[ctx.profile().by_number_member] = std::move(list);
  return translated{to_text(body)};
}

outcome<translated> projects_by_data(pugi::xml_node root, const translate_context& ctx) {
  translated result;
  ojson body = generic_object(root);
  const std::string status_filter(by_data_status_filter);
  if (body.contains(status_filter) && body[status_filter].is_object()) {
    auto& filter = body[status_filter];
    const std::string list(by_data_status_list);
    filter[list] = as_array(filter.contains(list) ? filter[list] : ojson());
  }
  const std::string fields_key(by_data_fields);
  if (body.contains(fields_key)) {
    ojson fields = body[fields_key];
    const std::string item(by_data_field);
    ojson list = fields.is_object() && fields.contains(item) ? as_array(fields[item]) : as_array(fields);
    for (auto& field : list) {
      if (!field.is_object()) continue;
      const std::string content_key(by_data_content);
      if (!field.contains(content_key) || !field[content_key].is_string()) continue;
      const std::string content = field[content_key].get<std::string>();
      std::optional<value_type> type;
      std::string id;
      const std::string id_key(by_data_field_id);
      if (field.contains(id_key) && field[id_key].is_string()) id = field[id_key].get<std::string>();
      if (ctx.types && !id.empty()) type = ctx.types->find(id);
      if (type == value_type::text || trim(content).empty()) continue;
      if (type == value_type::boolean) {
        if (auto b = vf::parse_v1_boolean(content)) field[content_key] = std::string(*b);
        continue;
      }
      // A Date field by schema takes every .NET shape, and anything else is a 400 naming the
      // field; without a type only slash dates (never a V2 form) are converted, counted.
      if (!type && content.find('/') == std::string::npos) continue;
      const auto d = vf::parse_v1_date(trim(content));
      if (!d) {
        if (!type) continue;
        return bad_request(method_id::GetProjectsByData, "Field " + id + ": Content \"" + content +
                                                             "\" is not a date (expected " +
                                                             std::string(vf::v1_date_shapes) + ")");
      }
      const std::string v2 = vf::format_v2_date(*d);
      if (v2 != content) {
        field[content_key] = v2;
        if (!type) ++result.typing_fallbacks;
      }
    }
    body[fields_key] = std::move(list);
  }
  result.body = to_text(body);
  return result;
}


}  // namespace pcbridge::translators::v1_xml
