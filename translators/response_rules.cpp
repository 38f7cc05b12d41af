#include "translators/response_rules.hpp"

#include "translators/route_table.hpp"
#include "translators/translate.hpp"

namespace pcbridge::translators::rules {

namespace {

constexpr member_rule common_[] = {
    // mapping.md §3: object flags are JSON booleans in V2; CanSubmit is an xs:boolean in V1
    // (true/false), IsAdmin was a string (True/False). Spellings: compat object_booleans,
    // is_admin_boolean. (I) v1-api.md §3.9: CanSubmit stays where V2 has it (on Project).
    {"*", "CanSubmit", action::object_flag},
    {"*", "IsAdmin", action::admin_flag},
};

// The generic method table: nothing beyond §4.1-2 and the common rules.
constexpr method_rules generic_{};

struct item_entry {
  std::string_view array;
  std::string_view item;
};

// mapping.md §4.2. The whole table is (I) for CalculatedFields; the others follow the V1
// samples (Projects, DataFields, Attachments, StatusHistory) or their naming.
constexpr item_entry item_names_[] = {
    {"Projects", "Project"},
    {"DataFields", "DataField"},
    {"Attachments", "Attachment"},
    {"Forms", "Form"},
    {"AvailableInStatuses", "Status"},
    {"StatusHistory", "Status"},
    {"Programs", "Program"},
    {"Statuses", "Status"},
    {"InquiryThreads", "InquiryThread"},
    {"Notes", "Note"},
    {"Choices", "Choice"},
    {"CalculatedFields", "DataField"},  // (I) mapping.md §4.2
};

// (I) mapping.md §6: a method whose V1 root is unknown answers under "<Method>Response";
// the Generic route under this name.
constexpr std::string_view generic_root = "Response";

}  // namespace

std::span<const member_rule> common_rules() { return common_; }

const method_rules& rules_for(method_id id) {
  for (auto* family_table : {family::projects, family::project_data, family::attachments,
                             family::statuses, family::programs_forms, family::inquiries}) {
    if (const method_rules* r = family_table(id)) return *r;
  }
  return generic_;
}

std::string_view item_name(std::string_view key, std::string& storage) {
  for (const auto& e : item_names_) {
    if (e.array == key) return e.item;
  }
  // (I) mapping.md §4.2: arrays the table does not name get an English singular.
  storage.clear();
  if (key.size() > 3 && key.ends_with("ies")) {
    storage.append(key.substr(0, key.size() - 3)).append("y");
  } else if (key.size() > 4 && (key.ends_with("sses") || key.ends_with("xes") || key.ends_with("ches") ||
                                key.ends_with("shes"))) {
    storage.append(key.substr(0, key.size() - 2));
  } else if (key.size() > 1 && key.ends_with('s') && !key.ends_with("ss")) {
    storage.append(key.substr(0, key.size() - 1));
  } else {
    storage.append(key).append("Item");
  }
  return storage;
}

std::string_view root_name(method_id id, const compat_profile& profile, std::string& storage) {
  const std::string& configured = profile.response_roots[static_cast<std::size_t>(id)];
  if (!configured.empty()) return configured;
  if (id == method_id::Generic) return generic_root;
  const auto root = route_for(id).v1_response_root;
  if (!root.empty()) return root;
  storage.assign(method_name(id)).append("Response");
  return storage;
}

std::optional<std::string_view> spell_boolean(std::string_view text, boolean_spelling spelling) {
  const auto is = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((text[i] | 0x20) != word[i]) return false;
    }
    return true;
  };
  const bool lower = spelling == boolean_spelling::lower;
  if (is("true")) return lower ? "true" : "True";
  if (is("false")) return lower ? "false" : "False";
  return std::nullopt;
}

std::string_view root_namespace_attributes(bool xsd_xsi_declarations) {
  if (xsd_xsi_declarations) {
    return " xmlns=\"http://service.powerclerk.com/api/v1/\""
           " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
           " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  } else {
    return " xmlns=\"http://service.powerclerk.com/api/v1/\"";
  }
}

static_assert(v1_namespace == "http://service.powerclerk.com/api/v1/",
              "root_namespace_attributes() spells the V1 namespace out");

}  // namespace pcbridge::translators::rules
