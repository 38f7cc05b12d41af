// The parts of fuzz_check.hpp every binary shares (check_failed is per binary).
#include "fuzz/fuzz_check.hpp"

#include <pugixml.hpp>
#include <set>

#include "translators/translate.hpp"

namespace pcbridge::fuzz {

bool xml_chars_ok(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char b0 = *p;
    std::uint32_t c = 0;
    std::size_t n = 0;
    if (b0 < 0x80) {
      c = b0, n = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      c = b0 & 0x1Fu, n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      c = b0 & 0x0Fu, n = 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      c = b0 & 0x07u, n = 4;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < n) return false;
    for (std::size_t i = 1; i < n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      c = (c << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))) return false;  // overlong
    const bool allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
                         (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
    if (!allowed) return false;
    p += n;
  }
  return true;
}

void check_v1_document(std::string_view xml) {
  FUZZ_CHECK(xml_chars_ok(xml));
  pugi::xml_document doc;
  FUZZ_CHECK(doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration,
                             pugi::encoding_utf8));
  const pugi::xml_node root = doc.document_element();
  FUZZ_CHECK(root);
  for (pugi::xml_node n = root.next_sibling(); n; n = n.next_sibling()) FUZZ_CHECK(n.type() != pugi::node_element);
  FUZZ_CHECK(std::string_view(root.attribute("xmlns").value()) == pcbridge::translators::v1_namespace);
  // Iterative walk: the document may be as deep as the input allows.
  for (pugi::xml_node n = root; n;) {
    std::set<std::string_view> seen;
    for (auto a : n.attributes()) FUZZ_CHECK(seen.insert(a.name()).second);
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != root && !n.next_sibling()) n = n.parent();
    if (n == root) break;
    n = n.next_sibling();
  }
}

}  // namespace pcbridge::fuzz
