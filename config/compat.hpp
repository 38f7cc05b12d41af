#pragma once
// Reads the configuration's `compat:` section into the translators' compatibility profile.
#include "config/yaml_reader.hpp"
#include "translators/compat_profile.hpp"

namespace pcbridge::config::detail {

void read_compat(const field& f, translators::compat_profile& out, diagnostics& diag);

}  // namespace pcbridge::config::detail
