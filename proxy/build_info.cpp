#include "proxy/build_info.hpp"

// The only includer of the generated header: a new revision recompiles this file alone.
#include "pcbridge_build_info_generated.hpp"

namespace pcbridge::proxy {

build_identity this_build() { return {PCBRIDGE_VERSION, PCBRIDGE_GIT_REVISION}; }

std::string version_line(build_identity build) {
  std::string line = "pcbridge " + std::string(build.version);
  if (!build.revision.empty()) line += " (git " + std::string(build.revision) + ")";
  return line;
}

}  // namespace pcbridge::proxy
