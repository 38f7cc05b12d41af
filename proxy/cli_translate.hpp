#pragma once
// `pcbridge translate` as the binary offers it: translators::run_translate_cli plus the parts
// that need more than the translators library: --list-methods (from the route table) and a
// "did you mean" for a mistyped --method (config/suggest.hpp).
#include <iosfwd>
#include <span>
#include <string_view>

#include "translators/translate_cli.hpp"

namespace pcbridge::proxy {

// One line per V1 method, in route-table order:
//   GetProjectData  GET  /Services.svc/v1/Programs/{ProgramId}/...  directions: response
// "directions" are the --direction values that carry a body for that method (request only
// when the V1 request has an XML body). Unavailable methods (answered 501) say so.
void list_methods(std::ostream& out);

// Exit status as translators::run_translate_cli, plus 2 for an unknown --method (with the
// closest name when one is near).
int run_translate(std::span<const std::string_view> args, std::istream& in, std::ostream& out, std::ostream& err,
                  const translators::compat_loader& load_config = {});

}  // namespace pcbridge::proxy
