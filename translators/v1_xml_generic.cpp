// Generic V1 XML -> V2 JSON (mapping.md §5), used by every method without its own translator.
#include <algorithm>
#include <string>
#include <vector>

#include "translators/v1_xml_jobs.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::v1_xml {

namespace {

namespace vf = value_format;

// (I) mapping.md §5: generic XML -> JSON puts the text of an element that also has attributes
// or children under this member.
constexpr std::string_view generic_text_member = "Value";

// Object flags are strings in V1 and JSON booleans in V2 (mapping.md §3; IsAdmin per the
// migration notes). (I) which request members are flags: the V1 inquiry bodies are unknown.
constexpr std::string_view request_flags[] = {"IsAdmin", "CanSubmit"};

ojson generic_value(pugi::xml_node n);

}  // namespace

ojson generic_object(pugi::xml_node n) {
  ojson o = ojson::object();
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (is_namespace_declaration(an) || is_xsi(an)) continue;
    o[std::string(local_name(an))] = a.value();
  }
  std::vector<std::string> seen;
  for (pugi::xml_node c = first_element(n); c; c = next_element(c)) {
    const std::string key(local_name(c.name()));
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    std::vector<pugi::xml_node> same;
    for (pugi::xml_node d = c; d; d = next_element(d)) {
      if (local_name(d.name()) == key) same.push_back(d);
    }
    if (same.size() == 1) {
      o[key] = generic_value(c);
    } else {
      ojson list = ojson::array();
      for (auto d : same) list.push_back(generic_value(d));
      o[key] = std::move(list);
    }
  }
  const std::string text = text_content(n);
  if (!trim(text).empty() && !o.contains(generic_text_member)) o[std::string(generic_text_member)] = text;
  for (std::string_view flag : request_flags) {
    auto it = o.find(std::string(flag));
    if (it == o.end() || !it->is_string()) continue;
    if (auto b = vf::parse_v1_boolean(it->get<std::string>())) *it = (*b == "true");
  }
  return o;
}

namespace {

ojson generic_value(pugi::xml_node n) {
  bool has_attributes = false;
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (is_xsi(an) && local_name(an) == "nil" && trim(a.value()) == "true") return nullptr;
    if (!is_namespace_declaration(an) && !is_xsi(an)) has_attributes = true;
  }
  if (!has_attributes && !first_element(n)) return text_content(n);
  return generic_object(n);
}

}  // namespace

}  // namespace pcbridge::translators::v1_xml
