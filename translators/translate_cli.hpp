#pragma once
// `pcbridge translate`: runs one body translation on stdin, for trying rules and checking a
// captured trace by hand.
//
//   pcbridge translate --method GetProjectData --direction response|request
//                      [--schema schema.json] [--current current.json]
//                      [--config pcbridge.yaml] [--compat KEY=VALUE]...
//
// `args` are the words after the program name; a leading "translate" is skipped. Reads the
// body from `in`, writes the translation to `out`. Exit status: 0 translated, 1 translation
// failed (message on `err`), 2 usage error, 3 the --config file is invalid (its problems on
// `err`, as --check-config prints them). --schema is a V2 GetFormSchema answer (types of
// Date/Boolean fields); --current is the current data answer for a partial multi-instance
// SetProjectData request. The compatibility profile (compat_profile.hpp) is the one of the
// configuration file given with --config (read by `load_config`, which the caller supplies:
// translators do not read YAML), then each --compat KEY=VALUE on top
// (`--compat response_roots.GetPrograms=ProgramList` for a root name), so a translation here is
// byte for byte what the proxy answers with that configuration.
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "translators/compat_profile.hpp"

namespace pcbridge::translators {

// Reads the compat: section of a configuration file; on failure writes the problems to `err`
// and returns nullopt. The binary passes config::load_compat_profile (config/compat.hpp).
using compat_loader = std::function<std::optional<compat_profile>(const std::string& path, std::ostream& err)>;

int run_translate_cli(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
                      std::ostream& err, const compat_loader& load_config = {});

}  // namespace pcbridge::translators
