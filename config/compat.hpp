#pragma once
// Reads the configuration's `compat:` section into the translators' compatibility profile.
#include <iosfwd>
#include <optional>
#include <string>

#include "config/yaml_reader.hpp"
#include "translators/compat_profile.hpp"

namespace pcbridge::config {

// `pcbridge translate --config FILE` (a translators::compat_loader): the profile of FILE's
// compat: section. The whole file is validated as --check-config does, so a translation with
// it is the proxy's with that configuration; on a problem the errors (FILE:LINE: path: message)
// go to `err` and the result is empty.
std::optional<translators::compat_profile> load_compat_profile(const std::string& path, std::ostream& err);

}  // namespace pcbridge::config

namespace pcbridge::config::detail {

void read_compat(const field& f, translators::compat_profile& out, diagnostics& diag);

}  // namespace pcbridge::config::detail
