#pragma once
// `pcbridge translate`: runs one body translation on stdin, for trying rules and checking a
// captured trace by hand.
//
//   pcbridge translate --method GetProjectData --direction response|request
//                      [--schema schema.json] [--current current.json]
//
// `args` are the words after the program name; a leading "translate" is skipped. Reads the
// body from `in`, writes the translation to `out`. Exit status: 0 translated, 1 translation
// failed (message on `err`), 2 usage error. --schema is a V2 GetFormSchema answer (types of
// Date/Boolean fields); --current is the current data answer for a partial multi-instance
// SetProjectData request.
#include <iosfwd>
#include <span>
#include <string_view>

namespace pcbridge::translators {

int run_translate_cli(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
                      std::ostream& err);

}  // namespace pcbridge::translators
