#pragma once
// Which pcbridge this is: the version of project() in the top-level CMakeLists.txt and, when
// it was built from a git checkout, the commit (12 hex digits, "-dirty" with uncommitted
// changes). `pcbridge --version` and the pcbridge_build_info metric both read it from here,
// so they always agree.
#include <string>
#include <string_view>

namespace pcbridge::proxy {

struct build_identity {
  std::string_view version;   // "0.1.0"
  std::string_view revision;  // "1a94a39c0d2e" or "1a94a39c0d2e-dirty"; empty outside a checkout
};

build_identity this_build();

// "pcbridge 0.1.0 (git 1a94a39c0d2e)", or "pcbridge 0.1.0" without a revision.
std::string version_line(build_identity build = this_build());

}  // namespace pcbridge::proxy
