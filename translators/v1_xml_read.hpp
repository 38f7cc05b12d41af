#pragma once
// Reading V1 XML request bodies: parsing with the request limits, and the small node helpers
// the per-method translators share. Internal to translators/ (v1_xml_*.cpp).
#include <cstddef>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <span>
#include <string>
#include <string_view>

#include "translators/byte_scan.hpp"
#include "translators/method.hpp"
#include "translators/outcome.hpp"

namespace pcbridge::translators::v1_xml {

using ojson = nlohmann::ordered_json;

// Compact JSON; never throws (strings are valid UTF-8 after load(), `replace` is a backstop).
std::string to_text(const ojson& j);

failure bad_request(method_id m, std::string_view what);
failure bad_answer(method_id m, std::string_view path, std::string_view problem);

std::string_view trim(std::string_view s);
// The part of a qualified name after its prefix ("v1:Project" -> "Project"). It runs on
// every element and attribute name a translator looks at, so it is inline and scans with
// byte_scan: a byte loop was about 50 instructions a name, a memchr call more (callgrind).
inline std::string_view local_name(std::string_view name) {
  const char* end = name.data() + name.size();
  const char* colon = byte_scan::find_first<byte_scan::colon>(name.data(), end);
  return colon == end ? name : std::string_view(colon + 1, static_cast<std::size_t>(end - colon - 1));
}
// Inline: it runs on every attribute a translator looks at.
inline bool is_namespace_declaration(std::string_view attr) {
  if (attr.size() < 5 || attr[0] != 'x') return false;  // the usual attribute: no compare calls
  return attr == "xmlns" || attr.starts_with("xmlns:");
}
bool is_xsi(std::string_view attr);

// Concatenated text and CDATA children of `n` (not descendants).
std::string text_content(pugi::xml_node n);
pugi::xml_node first_element(pugi::xml_node n);
pugi::xml_node next_element(pugi::xml_node n);
// First child element of `n` whose local name is `name`.
pugi::xml_node child_named(pugi::xml_node n, std::string_view name);

// A V1 value given as an attribute (V1 style) or as a child element's text (V2 style).
std::optional<std::string> field_of(pugi::xml_node n, std::string_view name);
// field_of for several names at once (out[i] for names[i]): one pass over the attributes,
// then the child elements only for names no attribute gave. For elements with many fields
// (DataField) this is the difference between one attribute walk and one per name. Copies
// nothing: out[i] views the attribute's value in the document (load() has decoded its
// references) or a child element's text, which is joined and appended to `child_texts` (a
// deque: its strings never move). Valid while the document and `child_texts` are.
void field_views_of(pugi::xml_node n, std::span<const std::string_view> names,
                    std::span<std::optional<std::string_view>> out, std::deque<std::string>& child_texts);

// Parses the body (one root element; references decoded, 400 for one naming no XML character
// or an undefined entity) and checks depth, the node budget (`max_nodes` elements + attributes,
// else 413) and the root's namespace (mapping.md §1).
outcome<pugi::xml_node> load(method_id m, std::string_view xml, pugi::xml_document& doc, std::size_t max_nodes);

}  // namespace pcbridge::translators::v1_xml
