#include "translators/v1_xml_read.hpp"

#include "translators/v1_xml_to_json.hpp"
#include "translators/value_format.hpp"

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

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string_view local_name(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_namespace_declaration(std::string_view attr) {
  return attr == "xmlns" || attr.starts_with("xmlns:");
}

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

outcome<pugi::xml_node> load(method_id m, std::string_view xml, pugi::xml_document& doc) {
  const pugi::xml_parse_result result =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!result) {
    return bad_request(m, std::string("malformed XML: ") + result.description() + " at offset " +
                              std::to_string(result.offset));
  }
  const pugi::xml_node root = doc.document_element();
  if (!root) return bad_request(m, "malformed XML: no root element");
  if (result.encoding == pugi::encoding_utf8 && !vf::is_valid_utf8(xml)) {
    return bad_request(m, "request body is not valid UTF-8");
  }

  int depth = 1;
  for (pugi::xml_node n = root;;) {
    if (pugi::xml_node c = first_element(n)) {
      n = c;
      if (++depth > max_request_xml_depth) {
        return bad_request(m, "XML nested deeper than " + std::to_string(max_request_xml_depth) + " elements");
      }
      continue;
    }
    while (n != root && !next_element(n)) {
      n = n.parent();
      --depth;
    }
    if (n == root) break;
    n = next_element(n);
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
