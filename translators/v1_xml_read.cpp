#include "translators/v1_xml_read.hpp"

#include <cstring>

#include "translators/query.hpp"
#include "translators/v1_xml_to_json.hpp"
#include "translators/value_format.hpp"
#include "translators/xml_references.hpp"

namespace pcbridge::translators::v1_xml {

namespace vf = value_format;

std::string to_text(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

failure bad_request(method_id m, std::string_view what) {
  std::string message(method_name(m));
  message += ": ";
  message += what;
  return failure{400, std::move(message)};
}

failure bad_answer(method_id m, std::string_view path, std::string_view problem) {
  std::string message(method_name(m));
  message += ": cannot translate V2 answer: ";
  message += path;
  message += ' ';
  message += problem;
  return failure{502, std::move(message)};
}

std::string_view trim(std::string_view s) { return vf::trim(s); }

bool is_xsi(std::string_view attr) { return attr.starts_with("xsi:"); }

std::string text_content(pugi::xml_node n) {
  std::string text;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return text;
}

pugi::xml_node first_element(pugi::xml_node n) {
  pugi::xml_node c = n.first_child();
  while (c && c.type() != pugi::node_element) c = c.next_sibling();
  return c;
}

pugi::xml_node next_element(pugi::xml_node n) {
  pugi::xml_node c = n.next_sibling();
  while (c && c.type() != pugi::node_element) c = c.next_sibling();
  return c;
}

pugi::xml_node child_named(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c = first_element(n); c; c = next_element(c)) {
    if (local_name(c.name()) == name) return c;
  }
  return {};
}

std::optional<std::string> field_of(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (!is_namespace_declaration(an) && local_name(an) == name) return std::string(a.value());
  }
  if (pugi::xml_node c = child_named(n, name)) return text_content(c);
  return std::nullopt;
}

namespace {

// Whether the C string `s` is `name`. pugixml gives names as C strings: comparing them as
// they are stops at the first byte that differs, where a view would cost a strlen and a
// memcmp call each (both were visible in a 500-field write's profile).
bool c_string_is(const char* s, std::string_view name) {
  for (const char c : name)
    if (*s++ != c) return false;
  return *s == '\0';
}

// The position in `names` of the C-string attribute name `an` (its local part when it has a
// prefix), or names.size().
std::size_t attribute_name_position(const char* an, std::span<const std::string_view> names) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (c_string_is(an, names[i])) return i;
  for (const char* c = an; *c; ++c) {
    if (*c != ':') continue;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (c_string_is(c + 1, names[i])) return i;
    break;  // the local name is what follows the first ':'
  }
  return names.size();
}

}  // namespace

void field_views_of(pugi::xml_node n, std::span<const std::string_view> names,
                    std::span<std::optional<std::string_view>> out, std::deque<std::string>& child_texts) {
  for (auto& o : out) o.reset();
  std::size_t missing = names.size();
  for (pugi::xml_attribute a = n.first_attribute(); a && missing > 0; a = a.next_attribute()) {
    const char* an = a.name();
    if (an[0] == 'x' && is_namespace_declaration(an)) continue;  // the first byte before a strlen
    const std::size_t i = attribute_name_position(an, names);
    if (i < names.size() && !out[i]) {  // the first attribute of a name wins, as in field_of
      out[i].emplace(a.value());
      --missing;
    }
  }
  if (missing == 0 || !first_element(n)) return;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (out[i]) continue;
    if (pugi::xml_node c = child_named(n, names[i])) out[i].emplace(child_texts.emplace_back(text_content(c)));
  }
}

outcome<pugi::xml_node> load(method_id m, std::string_view xml, pugi::xml_document& doc, std::size_t max_nodes) {
  // References: pugixml would silently cut a value short at &#0; or keep &x; literally, where
  // decode_references refuses both. When every '&' of the body starts a reference it decodes
  // (most bodies: references are rare, and nearly always &amp;), pugixml decodes them while it
  // parses, and the walk below has none to look for (a strchr per value was about a tenth of a
  // SetProjectData translation, perf). Otherwise pugixml leaves them, and the walk decodes
  // each value or refuses it.
  const bool checked_references = every_reference_decodable(xml);
  const unsigned flags = checked_references ? pugi::parse_default : pugi::parse_default & ~pugi::parse_escapes;
  const pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size(), flags, pugi::encoding_auto);
  if (!result) {
    return bad_request(m, std::string("malformed XML: ") + result.description() + " at offset " +
                              std::to_string(result.offset));
  }
  const pugi::xml_node root = doc.document_element();
  if (!root) return bad_request(m, "malformed XML: no root element");
  if (result.encoding == pugi::encoding_utf8 && !vf::is_valid_utf8(xml)) {
    return bad_request(m, "request body is not valid UTF-8");
  }
  if (const pugi::xml_node c = next_element(root)) {
    return bad_request(m, "malformed XML: a second root element <" + quote_for_message(c.name()) + "> after <" +
                              quote_for_message(root.name()) + ">");
  }

  // One pass over every node: depth, the work budget, references.
  int depth = 1;
  std::size_t nodes = 0;
  const auto too_much = [&] {
    return failure{413, std::string(method_name(m)) + ": request body has more than " + std::to_string(max_nodes) +
                            " XML elements and attributes"};
  };
  std::string decoded;  // one buffer for every value with a reference
  for (pugi::xml_node n = root;;) {
    const pugi::xml_node_type type = n.type();
    if (type == pugi::node_element) {
      if (depth > max_request_xml_depth) {
        return bad_request(m, "XML nested deeper than " + std::to_string(max_request_xml_depth) + " elements");
      }
      if (++nodes > max_nodes) return too_much();
      for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
        if (++nodes > max_nodes) return too_much();
        if (checked_references) continue;
        const char* value = a.value();
        if (std::strchr(value, '&') == nullptr) continue;
        if (auto error = decode_references(m, value, decoded)) return *error;
        // Decoding never lengthens a value, so pugixml writes it over the old one in its buffer.
        a.set_value(decoded.data(), decoded.size());
      }
    } else if (type == pugi::node_pcdata && !checked_references && std::strchr(n.value(), '&') != nullptr) {
      if (auto error = decode_references(m, n.value(), decoded)) return *error;
      n.set_value(decoded.data(), decoded.size());
    }
    if (pugi::xml_node c = n.first_child()) {
      n = c;
      ++depth;
      continue;
    }
    while (n != root && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n == root) break;
    n = n.next_sibling();
  }

  const std::string_view name = root.name();
  const auto colon = name.find(':');
  std::string declaration = "xmlns";
  if (colon != std::string_view::npos) declaration.append(":").append(name.substr(0, colon));
  const pugi::xml_attribute ns = root.attribute(declaration.c_str());
  if (!ns && colon != std::string_view::npos) {
    return bad_request(m, "namespace prefix '" + std::string(name.substr(0, colon)) + "' of the request root is not declared");
  }
  const std::string_view uri = ns ? std::string_view(ns.value()) : std::string_view{};
  if (!uri.empty() && uri != v1_namespace && uri != v1_namespace_without_slash) {
    return bad_request(m, "request root " + std::string(local_name(name)) + " is in namespace '" +
                              std::string(uri) + "', expected '" + std::string(v1_namespace) + "'");
  }
  return root;
}

}  // namespace pcbridge::translators::v1_xml
