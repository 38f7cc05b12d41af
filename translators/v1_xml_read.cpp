#include "translators/v1_xml_read.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "translators/query.hpp"
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

std::string_view trim(std::string_view s) { return vf::trim(s); }

bool is_namespace_declaration(std::string_view attr) {
  if (attr.size() < 5 || attr[0] != 'x') return false;  // the usual attribute: no compare calls
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

void field_views_of(pugi::xml_node n, std::span<const std::string_view> names,
                    std::span<std::optional<std::string_view>> out, std::deque<std::string>& child_texts) {
  for (auto& o : out) o.reset();
  std::size_t missing = names.size();
  for (pugi::xml_attribute a = n.first_attribute(); a && missing > 0; a = a.next_attribute()) {
    const std::string_view an = a.name();
    if (is_namespace_declaration(an)) continue;
    const std::string_view local = local_name(an);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (!out[i] && local == names[i]) {  // the first attribute of a name wins, as in field_of
        out[i].emplace(a.value());
        --missing;
        break;
      }
    }
  }
  if (missing == 0 || !first_element(n)) return;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (out[i]) continue;
    if (pugi::xml_node c = child_named(n, names[i])) out[i].emplace(child_texts.emplace_back(text_content(c)));
  }
}

namespace {

// XML 1.0 Char production: what a character reference may name.
bool is_xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}


// The code point of a character reference's body ("#65", "#x41"); nullopt when malformed.
std::optional<std::uint32_t> char_reference(std::string_view body) {
  const bool hex = body.size() > 1 && body[1] == 'x';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return std::nullopt;
  std::uint32_t c = 0;
  for (char d : digits) {
    int v = -1;
    if (d >= '0' && d <= '9') v = d - '0';
    else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
    else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
    if (v < 0) return std::nullopt;
    c = c * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
  }
  return c;
}

// Bytes that end a reference's name before its ';': what a reference cannot contain.
bool ends_reference(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == '<'; }

// Text or an attribute value as pugixml left it (parsed without parse_escapes), with its
// references decoded into `out` (cleared first: load() reuses one buffer for every value):
// the five predefined entities and character references to XML characters. Anything else
// after a '&' is a 400: a reference to no XML character (&#0; would cut the value short), an
// entity no DTD defines here (&x;), a bare '&'.
std::optional<failure> decode_references(method_id m, std::string_view raw, std::string& out) {
  // Longest reference body worth reading: "#x10FFFF" with leading zeros, or an entity name.
  constexpr std::size_t max_reference = 32;
  out.clear();
  while (true) {
    const auto amp = raw.find('&');
    out.append(raw.substr(0, amp));
    if (amp == std::string_view::npos) return std::nullopt;
    raw.remove_prefix(amp);
    // One byte loop to the ';' (a find for it, then a find_first_of over the body, made a
    // memchr call per byte of every reference).
    const std::size_t limit = std::min(raw.size(), max_reference + 2);
    std::size_t semi = 1;
    while (semi < limit && raw[semi] != ';' && !ends_reference(raw[semi])) ++semi;
    if (semi == limit || raw[semi] != ';') {
      return bad_request(m, "malformed XML: '&' that starts no reference (\"" +
                                quote_for_message(raw.substr(0, 12)) + "\"; write &amp;)");
    }
    const std::string_view body = raw.substr(1, semi - 1);
    const std::string_view reference = raw.substr(0, semi + 1);
    if (body == "lt") out += '<';
    else if (body == "gt") out += '>';
    else if (body == "amp") out += '&';
    else if (body == "apos") out += '\'';
    else if (body == "quot") out += '"';
    else if (body.starts_with('#')) {
      const auto c = char_reference(body);
      if (!c || !is_xml_char(*c)) {
        return bad_request(m, "malformed XML: character reference " + quote_for_message(reference) +
                                  " names no XML character");
      }
      vf::append_utf8(out, *c);
    } else {
      return bad_request(m, "malformed XML: undefined entity reference " + quote_for_message(reference));
    }
    raw.remove_prefix(semi + 1);
  }
}

}  // namespace

outcome<pugi::xml_node> load(method_id m, std::string_view xml, pugi::xml_document& doc, std::size_t max_nodes) {
  // Without parse_escapes: references are decoded by decode_references, which refuses what
  // pugixml would silently cut short (&#0;) or keep literally (&x;).
  constexpr unsigned flags = pugi::parse_default & ~pugi::parse_escapes;
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
        const char* value = a.value();
        if (std::strchr(value, '&') == nullptr) continue;
        if (auto error = decode_references(m, value, decoded)) return *error;
        // Decoding never lengthens a value, so pugixml writes it over the old one in its buffer.
        a.set_value(decoded.data(), decoded.size());
      }
    } else if (type == pugi::node_pcdata && std::strchr(n.value(), '&') != nullptr) {
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
