// Generic V1 XML -> V2 JSON (mapping.md §5), used by every method without its own translator.
// Linear in the size of the document: members are found through a hash index, never by
// scanning siblings or the members already written (issue 8 item 3).
#include <string>
#include <string_view>
#include <unordered_map>
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

// The members of one JSON object under construction, in first-appearance order. A name seen
// again replaces the value in its first position (as ojson's operator[] would), but through
// the index: ojson's own lookup is a linear search of the members.
class object_builder {
 public:
  // The members as the vector ojson::object_t is: indexed and appended to without a search.
  explicit object_builder(ojson& o) : members_(o.get_ref<ojson::object_t&>()) {}

  void set(std::string_view key, ojson value) {
    auto [it, added] = index_.try_emplace(key, members_.size());
    if (added) {
      members_.emplace_back(std::string(key), std::move(value));
    } else {
      members_[it->second].second = std::move(value);
    }
  }
  ojson* find(std::string_view key) {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &members_[it->second].second;
  }

 private:
  ojson::object_t::Container& members_;
  std::unordered_map<std::string_view, std::size_t> index_;  // views into the pugixml names
};

}  // namespace

ojson generic_object(pugi::xml_node n) {
  ojson o = ojson::object();
  object_builder members(o);
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (is_namespace_declaration(an) || is_xsi(an)) continue;
    members.set(local_name(an), a.value());
  }
  // Children grouped by local name in one pass, groups in order of first appearance.
  std::vector<std::pair<std::string_view, std::vector<pugi::xml_node>>> groups;
  std::unordered_map<std::string_view, std::size_t> group_of;
  for (pugi::xml_node c = first_element(n); c; c = next_element(c)) {
    const std::string_view key = local_name(c.name());
    auto [it, added] = group_of.try_emplace(key, groups.size());
    if (added) groups.emplace_back(key, std::vector<pugi::xml_node>{});
    groups[it->second].second.push_back(c);
  }
  for (const auto& [key, same] : groups) {
    if (same.size() == 1) {
      members.set(key, generic_value(same.front()));
    } else {
      ojson list = ojson::array();
      list.get_ref<ojson::array_t&>().reserve(same.size());
      for (auto d : same) list.push_back(generic_value(d));
      members.set(key, std::move(list));
    }
  }
  const std::string text = text_content(n);
  if (!trim(text).empty() && !members.find(generic_text_member)) members.set(generic_text_member, text);
  for (std::string_view flag : request_flags) {
    ojson* v = members.find(flag);
    if (v == nullptr || !v->is_string()) continue;
    if (auto b = vf::parse_v1_boolean(v->get_ref<const std::string&>())) *v = (*b == "true");
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
