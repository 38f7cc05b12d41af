#pragma once
// The compatibility profile (mapping.md §8): every inferred (I) choice of the V1 answer shape,
// and every superset of mapping.md §4 rule 8, as one setting whose default is mapping.md's
// decision. It reaches the translators through translate_context (null: these defaults) and the
// error builder as error_body_form (every error answer of the proxy, proxy/v1_answers.hpp).
// The configuration's `compat:` section (config/compat.cpp) sets it; so does
// `pcbridge translate --compat KEY=VALUE` on the command line.
//
// The names and spellings of the settings live here only (compat_settings, set_compat), so
// the YAML, the CLI and the README say the same thing.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "translators/method.hpp"

namespace pcbridge::translators {

// How a boolean is spelled in the V1 XML.
enum class boolean_spelling {
  lower,        // true/false: xs:boolean as XmlSerializer writes and reads it
  capitalized,  // True/False: .NET bool.ToString(), a string attribute
};

// Where SubmitProject's <Url Value> goes (mapping.md §4 rule 3).
enum class url_placement {
  both,    // inside and beside Project (rule 8 superset)
  inside,  // first child of Project (the migration notes' Project.Url.Value)
  beside,  // after Project, under the root (the V1 sample)
};

// How the data methods (GetProjectData, SetProjectData, GetAllProjectData) write CurrentStatus
// (mapping.md §4 rule 3).
enum class status_form {
  both,        // <CurrentStatus StatusId Name Timestamp/> and Status/StatusTimestamp on Project
  element,     // the child element only (the V1 GetAllProjectData sample)
  attributes,  // Status/StatusTimestamp on Project only (the first release's flattened reading)
};

// The body of pcbridge's V1 error answers (mapping.md §7; undocumented in V1, v1-api.md §2.7).
enum class error_body_form {
  xml,   // <Error xmlns=v1 Status Message RequestId/>, application/xml
  text,  // the message as text/plain (v1-api.md §2.7: WCF's short text messages)
};

// A SetProjectData DataField without a Value attribute (mapping.md §5; issue 10 item 5).
enum class missing_value {
  clear,  // single-instance fields send "Value":null, an instance becomes "" (no value)
  skip,   // the element is left out of the write
};

struct compat_profile {
  // CanSubmit, Deleted (xs:boolean in V1, mapping.md §3).
  boolean_spelling object_booleans = boolean_spelling::lower;
  // IsAdmin (a string in V1 per the migration notes, mapping.md §3).
  boolean_spelling is_admin = boolean_spelling::capitalized;
  url_placement submit_project_url = url_placement::both;
  status_form data_current_status = status_form::both;
  // Deleted="false" added to statuses (AvailableInStatuses entries, GetStatusList), which V2
  // no longer reports (mapping.md §4 rule 7).
  bool status_deleted = true;
  // xmlns:xsd / xmlns:xsi declarations on every root (v1-api.md §2.4).
  bool xsd_xsi_declarations = true;
  // Scalar array items (schema Choices) as element text <Choice>A</Choice>; false writes
  // <Choice Value="A"/> (mapping.md §4 rule 2).
  bool scalar_items_as_text = true;
  // A multi-instance field with an empty Values list still gives one DataField without Value;
  // false writes none (mapping.md §4 rule 6).
  bool empty_values_as_one_field = true;
  error_body_form error_body = error_body_form::xml;
  missing_value data_field_without_value = missing_value::clear;
  // The JSON member holding GetProjectsByNumber's numbers (mapping.md §5 (I)); a JSON member
  // name (letters, digits, _), set by name rather than from a list.
  std::string by_number_member = "ProjectNumbers";
  // V1 response root per method; empty = the route table's (mapping.md §6), else
  // "<Method>Response", and "Response" for the Generic route.
  std::array<std::string, method_count> response_roots{};
};

// The mapping.md profile, for callers without a configuration.
const compat_profile& default_compat_profile();

// One scalar setting of the profile: its key under `compat:`, the values it takes (the first
// is the default) and the evidence behind the default (mapping.md section, [C]/[M]/[I] tag).
struct compat_setting {
  std::string_view key;
  std::span<const std::string_view> values;
  std::string_view evidence;
  // True: any JSON member name is accepted and `values` holds the default alone.
  bool any_name = false;
};
std::span<const compat_setting> compat_settings();

// The key of the per-method root names (`response_roots: {GetPrograms: ProgramList}`).
inline constexpr std::string_view compat_roots_key = "response_roots";

// Sets scalar setting `key` to `value`. Returns the problem on an unknown key ("unknown key")
// or value ("expected one of: both, inside, beside"); never quotes the value.
std::optional<std::string> set_compat(compat_profile& profile, std::string_view key, std::string_view value);

// Sets the root element name of one method (a V1 method name, or "Generic"); the name must be
// an XML name without a prefix.
std::optional<std::string> set_compat_root(compat_profile& profile, std::string_view method, std::string_view root);

}  // namespace pcbridge::translators
