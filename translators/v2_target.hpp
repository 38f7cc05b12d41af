#pragma once
// Native V2 pass-through targets (a migrated client calling /services/v2/... through pcbridge):
// the target is forwarded as sent, so it must not be able to name anything outside
// /services/v2/ once upstream (or anything in between) normalises it. Pure.
#include <string_view>

#include "translators/outcome.hpp"

namespace pcbridge::translators {

inline constexpr std::string_view native_v2_prefix = "/services/v2/";

// `target`: the raw request target ("/services/v2/Programs?limit=5"). Returns it unchanged when
// it is safe to forward; 400 naming the offending segment when a path segment is a dot segment
// ('.', '..', raw or percent-encoded in any case, also encoded more than once, also before a
// ';' parameter), holds a slash, backslash or control character once decoded, is empty ('//'),
// has a malformed escape, or when the target has a fragment or is not under /services/v2/.
outcome<std::string_view> check_native_v2_target(std::string_view target);

}  // namespace pcbridge::translators
