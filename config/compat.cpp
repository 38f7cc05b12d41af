// The `compat:` section (mapping.md §8): each key is one setting of translators'
// compat_profile, whose names, values and defaults live in translators/compat_profile.cpp
// only; this file just walks the YAML and reports problems with their path and line.
#include "config/compat.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/suggest.hpp"

namespace pcbridge::config {

std::optional<translators::compat_profile> load_compat_profile(const std::string& path, std::ostream& err) {
  const load_result loaded = load_config_file(path);
  if (!loaded.value) {
    err << format_errors(loaded.errors, path);
    return std::nullopt;
  }
  return loaded.value->compat;
}

}  // namespace pcbridge::config

namespace pcbridge::config::detail {

void read_compat(const field& f, translators::compat_profile& out, diagnostics& diag) {
  std::vector<std::string_view> keys;
  for (const auto& s : translators::compat_settings()) keys.push_back(s.key);
  keys.push_back(translators::compat_roots_key);

  map_reader m(f, diag);
  for (auto& [key, value] : m.take_all()) {
    if (key == translators::compat_roots_key) {
      map_reader roots(value, diag);
      for (auto& [method, root] : roots.take_all()) {
        const auto name = read_nonempty_string(root, diag);
        if (!name) continue;
        if (auto problem = translators::set_compat_root(out, method, *name)) diag.add(root.path, root.line, *problem);
      }
      roots.finish();
      continue;
    }
    const auto text = read_nonempty_string(value, diag);
    if (!text) continue;
    if (auto problem = translators::set_compat(out, key, *text)) {
      std::string message = *problem;
      if (message == "unknown key") {
        if (auto near = closest_match(key, keys)) message += " (did you mean \"" + std::string(*near) + "\"?)";
      }
      diag.add(value.path, value.line, std::move(message));
    }
  }
  m.finish();
}

}  // namespace pcbridge::config::detail
