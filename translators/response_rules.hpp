#pragma once
// Declarative V2 JSON -> V1 XML rules (mapping.md §4), one table per V1 method, grouped by
// resource family in the *_rules.cpp files. Whatever a table does not mention follows the
// generic rules (§4.1-2): scalars -> attributes in document order, objects -> child elements,
// arrays -> wrapper + items, null -> omitted.
//
// Every (I) decision of mapping.md is one entry or one named constant here or in a family
// file, with a comment "(I) mapping.md §x": a captured V1 trace corrects it with a one-line
// change plus a golden case under tests/golden/.
#include <span>
#include <string>
#include <string_view>

#include <optional>

#include "translators/compat_profile.hpp"
#include "translators/method.hpp"

namespace pcbridge::translators::rules {

enum class action : unsigned char {
  keep,         // generic rule; only `want` is checked
  drop,         // V2-only member: validated, not written (mapping.md §4.4)
  rename,       // written under `to` (attribute for scalars, element for objects/arrays)
  flatten,      // object whose members become attributes of this element through `map`
  url_child,    // string -> <Url Value="…"/> first child of this element (mapping.md §4.3)
  url_last,     // string -> <Url Value="…"/> last child of this element (V1 root layouts)
  url_beside,   // string -> <Url Value="…"/> after this element, in its parent (§4.3)
  url_submit,   // SubmitProject's Project.Url: inside, beside or both (compat submit_project_url)
  object_flag,  // xs:boolean object flag (CanSubmit, Deleted): compat object_booleans (§3)
  admin_flag,   // IsAdmin: compat is_admin_boolean (§3)
  // Data methods' CurrentStatus (§4.3): `map` gives the attributes flattened onto this element,
  // `element_map` those of the <CurrentStatus> child; compat data_current_status picks.
  current_status,
  field_value,  // data-field Value, typed Date/Boolean through the form schema (§3)
  field_values, // data-field Values: one element per instance with Instance="i" (§4.6)
  items,        // array: items named `to` instead of the item-name table (§4.2)
  add_default,  // element-level: attribute `key`="`to`" added when V2 does not send one
  // element-level: Deleted="false" (spelled per object_booleans) added when V2 does not send
  // one, unless compat status_deleted is omit (§4.7).
  deleted_default,
};

// What a member must be for the answer to be translatable; null always passes (= absent).
// A mismatch fails the whole answer with 502 naming the member.
enum class expect : unsigned char { any, object, array };

struct attr_map {
  std::string_view from;  // member of the flattened V2 object
  std::string_view to;    // V1 attribute on the enclosing element
};

struct member_rule {
  // Element the rule applies to: "Project", "AvailableInStatuses/Status" (parent/element),
  // "*" any element, "/" the V1 root element.
  std::string_view element;
  std::string_view key;  // V2 JSON member name (attribute name for add_default)
  action act = action::keep;
  std::string_view to = {};
  expect want = expect::any;
  std::span<const attr_map> map = {};  // flatten: mapped members, written in this order
  bool keep_unmapped = false;          // flatten: other scalar members keep their own names
  std::span<const attr_map> element_map = {};  // current_status: attributes of the child element
};

struct method_rules {
  // The method's own table first, then shared tables (e.g. forms::members); the first rule
  // that matches an element and member wins.
  std::span<const member_rule> parts[3] = {};
  // Inquiry methods: every string of the form yyyy-MM-ddTHH:mm:ss±HH[:mm] -> MM/dd/yyyy (§3).
  bool inquiry_dates = false;
};

// Rules of one method (the generic table for methods the mapping says nothing about).
const method_rules& rules_for(method_id id);
// Rules every method gets in addition to its own (object flags, §3).
std::span<const member_rule> common_rules();

// Item element name for an array member (§4.2 table; otherwise an English singular:
// "…ies" -> "…y"; "…sses", "…xes", "…ches", "…shes" lose "es"; "…s" -> "…"; else "…Item").
// `storage` holds a computed name.
std::string_view item_name(std::string_view array_key, std::string& storage);

// V1 root element for a method: the profile's response_roots entry, else the route table's
// root, else "<Method>Response", and "Response" for the Generic route.
std::string_view root_name(method_id id, const compat_profile& profile, std::string& storage);

// Start of every V1 answer, and the namespace declarations on its root element.
inline constexpr std::string_view xml_declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
// (I) v1-api.md §2.4: the .NET XmlSerializer fingerprint (xmlns:xsd, xmlns:xsi) seen on the
// AttachmentMetadataResponse sample is emitted on every root unless compat
// xsd_xsi_declarations is omit.
std::string_view root_namespace_attributes(bool xsd_xsi_declarations);

// A boolean in the given spelling; "true"/"false" in any case is recognised, else nullopt.
std::optional<std::string_view> spell_boolean(std::string_view json_text, boolean_spelling spelling);

// Name of the per-instance index attribute of multi-instance data fields (C, §4.6).
inline constexpr std::string_view instance_attribute = "Instance";
// (I) mapping.md §4.6 (compat empty_values) and §4.2 (compat scalar_items) are settings of
// the profile (compat_profile.hpp). mapping.md §4 rule 9: an empty 2xx V2 body becomes the
// method's empty V1 root element.

// Family tables (defined in the *_rules.cpp files).
namespace family {
const method_rules* projects(method_id id);
const method_rules* project_data(method_id id);
const method_rules* attachments(method_id id);
const method_rules* statuses(method_id id);
const method_rules* programs_forms(method_id id);
const method_rules* inquiries(method_id id);
}  // namespace family

// Shared pieces of project objects (mapping.md §4.3), used by several families.
namespace project {
// CurrentStatus on list methods: all four attributes. The public id arrives as StatusId (V2
// samples) or PublicId (the migration notes' name): the first one present is written.
inline constexpr attr_map current_status_list[] = {
    {"Name", "Status"},
    {"Timestamp", "StatusTimestamp"},
    {"CustomId", "StatusCustomId"},
    {"StatusId", "StatusPublicId"},
    {"PublicId", "StatusPublicId"},
};
// CurrentStatus elsewhere: the id and custom id are V2-only (mapping.md §4.4).
inline constexpr attr_map current_status[] = {
    {"Name", "Status"},
    {"Timestamp", "StatusTimestamp"},
};
// The data methods' <CurrentStatus> element (mapping.md §4.3): V2's attributes without CustomId.
inline constexpr attr_map current_status_element[] = {
    {"StatusId", "StatusId"},
    {"PublicId", "StatusId"},
    {"Name", "Name"},
    {"Timestamp", "Timestamp"},
};
// ProjectOwner.Email -> OwnerEmailAddress; ProjectOwner.Name is dropped (§4.4).
inline constexpr attr_map owner[] = {
    {"Email", "OwnerEmailAddress"},
};
}  // namespace project

// Form objects, shared by CreateNewProject, GetForms and GetFormSchema (mapping.md §4.7).
namespace forms {
inline constexpr member_rule members[] = {
    {"Form", "Name", action::rename, "Title"},  // (M) Form.Title -> Form.Name in V2
    {"Form", "AvailableInStatuses", action::keep, {}, expect::array},
    {"AvailableInStatuses/Status", "Deleted", action::object_flag},
    // (I) mapping.md §4.7: V2 dropped Status.Deleted; "false" is the safe default.
    {"AvailableInStatuses/Status", "Deleted", action::deleted_default},
};
}  // namespace forms

}  // namespace pcbridge::translators::rules
