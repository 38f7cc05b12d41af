#pragma once
// The text of `pcbridge --help`: every subcommand, option and exit status. The man page
// (pcbridge.1, packaging) is generated from this same text, so the two cannot drift.
#include <string>

namespace pcbridge::proxy {

std::string help_text();

}  // namespace pcbridge::proxy
