#pragma once
// References (&amp;, &#65;) in a V1 request's XML: decoding them in a value, and telling
// whether a whole body has only references pcbridge decodes. Internal to translators/.
#include <optional>
#include <string>
#include <string_view>

#include "translators/method.hpp"
#include "translators/outcome.hpp"

namespace pcbridge::translators::v1_xml {

// Text or an attribute value as pugixml left it (parsed without parse_escapes), with its
// references decoded into `out` (cleared first, so one buffer serves every value): the five
// predefined entities and character references to XML characters. Anything else after a '&'
// is a 400: a reference to no XML character (&#0; would cut the value short), an entity no
// DTD defines here (&x;), a bare '&'.
std::optional<failure> decode_references(method_id m, std::string_view raw, std::string& out);

// True when every '&' byte of the body starts a reference decode_references takes. Then
// pugixml's own decoding while it parses (parse_escapes) gives the same texts: it decodes
// the same references the same way, in the same places (attribute values and text, not CDATA
// or comments), and there is nothing it would cut short or keep literally. A body in UTF-16
// or UTF-32 has a NUL byte beside each '&', so it is never taken for one.
bool every_reference_decodable(std::string_view xml);

}  // namespace pcbridge::translators::v1_xml
