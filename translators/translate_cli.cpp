#include "translators/translate_cli.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "translators/translate.hpp"

namespace pcbridge::translators {

namespace {

constexpr std::string_view usage =
    "usage: pcbridge translate --method <V1 method> --direction response|request\n"
    "                          [--schema schema.json] [--current current.json]\n"
    "                          [--config pcbridge.yaml] [--compat KEY=VALUE]...\n"
    "  response: V2 JSON answer on stdin -> V1 XML on stdout\n"
    "  request:  V1 XML request on stdin -> V2 JSON on stdout\n"
    "  --schema   V2 GetFormSchema answer giving the Date/Boolean data fields\n"
    "  --current  current V2 data answer, for a partial multi-instance SetProjectData\n"
    "  --config   the compat: section of this pcbridge configuration applies\n"
    "  --compat   one compat setting on top (response_roots.<Method>=<Root> for a root name)\n";

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return std::move(text).str();
}

bool load_schema(const std::string& text, field_type_map& types, std::ostream& err) {
  const outcome<field_type_map> parsed = field_types_from_schema(text);
  if (!parsed) {
    err << "pcbridge translate: --schema: " << parsed.error().message << "\n";
    return false;
  }
  types = parsed.value();
  return true;
}

int report(const outcome<translated>& result, std::ostream& out, std::ostream& err) {
  if (!result) {
    err << "pcbridge translate: " << result.error().status << " " << result.error().message << "\n";
    return 1;
  }
  out << result->body;
  if (result->typing_fallbacks > 0) {
    err << "pcbridge translate: " << result->typing_fallbacks
        << " value(s) typed by pattern (no schema for their field)\n";
  }
  return 0;
}

// KEY=VALUE of --compat onto the profile; false (message on err) when it is not a setting.
bool apply_compat(std::string_view setting, compat_profile& profile, std::ostream& err) {
  const auto eq = setting.find('=');
  if (eq == std::string_view::npos) {
    err << "pcbridge translate: --compat expects KEY=VALUE\n";
    return false;
  }
  const std::string_view key = setting.substr(0, eq), value = setting.substr(eq + 1);
  std::optional<std::string> problem;
  if (key.starts_with(compat_roots_key) && key.size() > compat_roots_key.size() + 1 &&
      key[compat_roots_key.size()] == '.') {
    problem = set_compat_root(profile, key.substr(compat_roots_key.size() + 1), value);
  } else {
    problem = set_compat(profile, key, value);
  }
  if (problem) err << "pcbridge translate: --compat " << key << ": " << *problem << "\n";
  return !problem;
}

int usage_error(std::ostream& err, std::string_view problem) {
  err << "pcbridge translate: " << problem << "\n" << usage;
  return 2;
}

}  // namespace

int run_translate_cli(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
                      std::ostream& err, const compat_loader& load_config) {
  if (!args.empty() && args.front() == "translate") args = args.subspan(1);
  std::optional<method_id> method;
  std::string_view direction, schema_path, current_path, config_path;
  std::vector<std::string_view> compat_args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      out << usage;
      return 0;
    }
    if (a != "--method" && a != "--direction" && a != "--schema" && a != "--current" && a != "--config" &&
        a != "--compat") {
      return usage_error(err, "unknown argument '" + std::string(a) + "'");
    }
    if (i + 1 >= args.size()) return usage_error(err, std::string(a) + " needs a value");
    const std::string_view v = args[++i];
    if (a == "--method") {
      method = method_from_name(v);
      if (!method) return usage_error(err, "unknown method '" + std::string(v) + "'");
    } else if (a == "--direction") {
      if (v != "response" && v != "request") return usage_error(err, "--direction is response or request");
      direction = v;
    } else if (a == "--schema") {
      schema_path = v;
    } else if (a == "--config") {
      config_path = v;
    } else if (a == "--compat") {
      compat_args.push_back(v);
    } else {
      current_path = v;
    }
  }
  if (!method) return usage_error(err, "--method is required");
  if (direction.empty()) return usage_error(err, "--direction is required");

  compat_profile profile;
  if (!config_path.empty()) {
    if (!load_config) return usage_error(err, "--config is not available here");
    std::optional<compat_profile> loaded = load_config(std::string(config_path), err);
    if (!loaded) return 3;  // an invalid configuration, as --check-config exits
    profile = std::move(*loaded);
  }
  for (std::string_view setting : compat_args) {
    if (!apply_compat(setting, profile, err)) return 2;
  }

  field_type_map types;
  translate_context ctx;
  ctx.compat = &profile;
  if (!schema_path.empty()) {
    const auto text = read_file(std::string(schema_path));
    if (!text) return usage_error(err, "cannot read " + std::string(schema_path));
    if (!load_schema(*text, types, err)) return 1;
    ctx.types = &types;
  }
  std::optional<std::string> current;
  if (!current_path.empty()) {
    current = read_file(std::string(current_path));
    if (!current) return usage_error(err, "cannot read " + std::string(current_path));
  }

  const std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (direction == "request") {
    const outcome<translated> first = v1_request_to_v2(*method, body, ctx);
    if (first && first->needs_current_data) {
      if (!current) {
        err << "pcbridge translate: " << method_name(*method)
            << ": the request writes some instances only; pass the current data with --current\n";
        return 1;
      }
      return report(v1_request_to_v2_with_current(*method, body, *current, ctx), out, err);
    }
    return report(first, out, err);
  }
  return report(v2_response_to_v1(*method, body, ctx), out, err);
}

}  // namespace pcbridge::translators
