#include "proxy/cli_translate.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "config/suggest.hpp"
#include "proxy/exit_codes.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {

namespace {

using translators::body_kind;
using translators::http_verb;

std::string_view verb_name(http_verb v) {
  switch (v) {
    case http_verb::get: return "GET";
    case http_verb::post: return "POST";
    case http_verb::put: return "PUT";
    case http_verb::patch: return "PATCH";
    case http_verb::del: return "DELETE";
    case http_verb::head: return "HEAD";
    case http_verb::options: return "OPTIONS";
    case http_verb::other: return "*";
  }
  return "*";
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

}  // namespace

void list_methods(std::ostream& out) {
  std::size_t name_width = 0;
  for (const auto& r : translators::all_routes())
    name_width = std::max(name_width, translators::method_name(r.id).size());
  for (const auto& r : translators::all_routes()) {
    std::string line = pad(translators::method_name(r.id), name_width + 2) + pad(verb_name(r.verb), 8);
    line += r.v1_pattern == "*" ? std::string("/Services.svc/v1/* (any other path)") : "/Services.svc/v1/" + std::string(r.v1_pattern);
    if (!r.unavailable.empty()) {
      line += "  unavailable (501)";
    } else {
      line += "  directions: ";
      if (r.request_body == body_kind::xml) line += "request,";
      line += r.response_body == body_kind::xml ? "response" : "none (binary or empty answer)";
    }
    out << line << '\n';
  }
}

int run_translate(std::span<const std::string_view> args, std::istream& in, std::ostream& out, std::ostream& err,
                  const translators::compat_loader& load_config) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--list-methods") {
      list_methods(out);
      return exit_ok;
    }
    if (args[i] == "--method" && i + 1 < args.size() && !args[i + 1].starts_with("--") &&
        !translators::method_from_name(args[i + 1])) {
      std::vector<std::string_view> names;
      for (const auto& r : translators::all_routes()) names.push_back(translators::method_name(r.id));
      err << "pcbridge translate: unknown method '" << args[i + 1] << "'";
      if (auto near = config::detail::closest_match(args[i + 1], names)) err << "; did you mean '" << *near << "'?";
      err << "\n(pcbridge translate --list-methods lists them)\n";
      return exit_usage;
    }
  }
  return translators::run_translate_cli(args, in, out, err, load_config);
}

}  // namespace pcbridge::proxy
