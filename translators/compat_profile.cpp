// The compatibility profile's settings (compat_profile.hpp): key names, accepted values with
// the default first, and the evidence for each default. The README's `compat:` table follows
// this list.
#include "translators/compat_profile.hpp"

#include <string>

namespace pcbridge::translators {

namespace {

constexpr std::string_view spellings_[] = {"lower", "capitalized"};
constexpr std::string_view admin_spellings_[] = {"capitalized", "lower"};
constexpr std::string_view placements_[] = {"both", "inside", "beside"};
constexpr std::string_view status_forms_[] = {"both", "element", "attributes"};
constexpr std::string_view emit_[] = {"emit", "omit"};
constexpr std::string_view item_forms_[] = {"text", "value_attribute"};
constexpr std::string_view error_forms_[] = {"xml", "text"};
constexpr std::string_view missing_values_[] = {"clear", "skip"};
constexpr std::string_view by_number_names_[] = {"ProjectNumbers"};

constexpr compat_setting settings_[] = {
    {"object_booleans", spellings_,
     "mapping.md §3 [I]: CanSubmit and Deleted are xs:boolean in V1 (XmlSerializer fingerprint on V1 samples); "
     "XmlSerializer reads only true/false and throws on True"},
    {"is_admin_boolean", admin_spellings_,
     "mapping.md §3 [M]: the migration notes say IsAdmin \"is changed to a boolean value instead of a string\"; "
     "the string's spelling is [I]"},
    {"submit_project_url", placements_,
     "mapping.md §4 rules 3, 8: the V1 sample [C] puts Url beside Project, the migration notes [M] say "
     "Project.Url.Value; both are written"},
    {"data_current_status", status_forms_,
     "mapping.md §4 rules 3, 8: the V1 GetAllProjectData sample [C] shows a CurrentStatus element, the "
     "first release flattened it [I]; both are written"},
    {"status_deleted", emit_,
     "mapping.md §4 rule 7 [I]: V1 statuses had Deleted [M], V2 dropped it with deprecated statuses; "
     "Deleted=\"false\" is added"},
    {"xsd_xsi_declarations", emit_,
     "v1-api.md §2.4 [I]: xmlns:xsd/xmlns:xsi seen on the AttachmentMetadataResponse sample [C]"},
    {"scalar_items", item_forms_,
     "mapping.md §4 rule 2 [I]: string lists (schema Choices) as element text, as XmlSerializer writes them"},
    {"empty_values", emit_,
     "mapping.md §4 rule 6 [I]: a multi-instance field with no instance is still written once, without Value"},
    {"error_body", error_forms_,
     "mapping.md §7 [I]: the V1 error body is undocumented (v1-api.md §2.7); clients branch on the status"},
    {"data_field_without_value", missing_values_,
     "mapping.md §3, §5 [I]: XmlSerializer omits an attribute whose string is null, so such a DataField is a "
     "client object whose Value was null; pcbridge answers JSON null as an omitted attribute, so clearing keeps a "
     "read-modify-write unchanged and a client that set null to clear a field does clear it"},
    {"by_number_json_name", by_number_names_,
     "mapping.md §5 [I], v2-api.md §6.4: the V2 JSON request is unverified; ProjectNumbers is the V1 request's "
     "list element [C sample] and the name v2-api.md sketches",
     true},
};

template <class E>
std::optional<std::string> pick(std::span<const std::string_view> values, std::string_view value,
                                std::span<const E> as, E& out) {
  for (std::size_t i = 0; i < values.size() && i < as.size(); ++i) {
    if (values[i] == value) {
      out = as[i];
      return std::nullopt;
    }
  }
  std::string problem = "expected one of: ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) problem += ", ";
    problem += values[i];
  }
  return problem;
}

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// A JSON member name pcbridge will write unescaped: letters, digits and _, a letter or _ first.
bool is_member_name(std::string_view s) {
  if (s.empty() || s.size() > 64 || !is_name_start(s.front())) return false;
  for (char c : s) {
    if (!is_name_start(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

const compat_profile& default_compat_profile() {
  static const compat_profile profile;
  return profile;
}

std::span<const compat_setting> compat_settings() { return settings_; }

std::optional<std::string> set_compat(compat_profile& p, std::string_view key, std::string_view value) {
  using boolean_spelling::capitalized, boolean_spelling::lower;
  static constexpr boolean_spelling spell[] = {lower, capitalized};
  static constexpr boolean_spelling admin_spell[] = {capitalized, lower};
  static constexpr url_placement place[] = {url_placement::both, url_placement::inside, url_placement::beside};
  static constexpr status_form forms[] = {status_form::both, status_form::element, status_form::attributes};
  static constexpr bool on_off[] = {true, false};
  static constexpr error_body_form errors[] = {error_body_form::xml, error_body_form::text};
  static constexpr missing_value missing[] = {missing_value::clear, missing_value::skip};
  std::span<const std::string_view> values;
  for (const compat_setting& s : settings_) {
    if (s.key == key) values = s.values;
  }
  // Each value list above follows the order of its setting's `values`.
  if (key == "object_booleans") return pick<boolean_spelling>(values, value, spell, p.object_booleans);
  if (key == "is_admin_boolean") return pick<boolean_spelling>(values, value, admin_spell, p.is_admin);
  if (key == "submit_project_url") return pick<url_placement>(values, value, place, p.submit_project_url);
  if (key == "data_current_status") return pick<status_form>(values, value, forms, p.data_current_status);
  if (key == "status_deleted") return pick<bool>(values, value, on_off, p.status_deleted);
  if (key == "xsd_xsi_declarations") return pick<bool>(values, value, on_off, p.xsd_xsi_declarations);
  if (key == "scalar_items") return pick<bool>(values, value, on_off, p.scalar_items_as_text);
  if (key == "empty_values") return pick<bool>(values, value, on_off, p.empty_values_as_one_field);
  if (key == "error_body") return pick<error_body_form>(values, value, errors, p.error_body);
  if (key == "data_field_without_value") return pick<missing_value>(values, value, missing, p.data_field_without_value);
  if (key == "by_number_json_name") {
    if (!is_member_name(value)) return std::string("expected a JSON member name (letters, digits, _; at most 64)");
    p.by_number_member = std::string(value);
    return std::nullopt;
  }
  return std::string("unknown key");
}

std::optional<std::string> set_compat_root(compat_profile& p, std::string_view method, std::string_view root) {
  const std::optional<method_id> id = method_from_name(method);
  if (!id) return std::string("unknown V1 method");
  if (root.empty() || !is_name_start(root.front()))
    return std::string("expected an XML element name (letters, digits, _ - .; no prefix)");
  for (char c : root) {
    if (!is_name_char(c)) return std::string("expected an XML element name (letters, digits, _ - .; no prefix)");
  }
  p.response_roots[static_cast<std::size_t>(*id)] = std::string(root);
  return std::nullopt;
}

}  // namespace pcbridge::translators
