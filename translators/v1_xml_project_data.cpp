// SetProjectData: V1 DataField elements -> V2 DataFields, grouping multi-instance fields and
// merging a partial instance write with the current data (mapping.md §5).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "translators/json_reader.hpp"
#include "translators/json_whole.hpp"
#include "translators/v1_xml_jobs.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::v1_xml {

namespace {

namespace vf = value_format;

// Highest Instance index a request may name: a write extends the current list up to it. A
// gap (index 5 of a 3-instance field) is padded with empty instances, which is how V2 writes
// an instance without a value (v2-api.md §2.8), so the index the client named stays its index.
constexpr long max_instance_index = 9999;

// (I) A DataField without a Value attribute: compat data_field_without_value (its default and
// evidence in compat_profile.cpp). `clear`: single-instance fields send "Value":null, an
// instance becomes "" (an instance without a value); `skip`: the element is ignored.

// A data-field value in a request, typed through the schema or by pattern (mapping.md §3).
// False (with `error`) when a Date field's value is not a date.
bool convert_value(method_id m, std::string_view field, std::string& value, const translate_context& ctx,
                   int& fallbacks, failure& error) {
  const std::optional<value_type> type = ctx.types ? ctx.types->find(field) : std::nullopt;
  if (type) {
    switch (*type) {
      case value_type::date: {
        if (trim(value).empty()) {
          value.clear();
          return true;
        }
        const auto d = vf::parse_v1_date(trim(value));
        if (!d) {
          error = bad_request(m, "DataField " + std::string(field) + ": \"" + value + "\" is not a date (expected " +
                                     std::string(vf::v1_date_shapes) + ")");
          return false;
        }
        value = vf::format_v2_date(*d);
        return true;
      }
      case value_type::boolean:
        if (auto b = vf::parse_v1_boolean(value)) value.assign(*b);
        return true;
      case value_type::text: return true;
    }
    return true;
  }
  // No schema: exact V1 patterns only.
  if (value.find('/') != std::string::npos && !vf::is_v2_date(value)) {
    if (auto d = vf::parse_v1_date(value)) {
      value = vf::format_v2_date(*d);
      ++fallbacks;
    }
  } else if (value == "True" || value == "False") {
    value = value == "True" ? "true" : "false";
    ++fallbacks;
  }
  return true;
}

std::optional<long> parse_index(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 9) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// (I) v2-api.md §5.3 says only that sensitive values are "obfuscated" unless
// reveal_sensitive_data=true, which needs MFA and a privilege; the mask's form is undocumented
// (the simulator writes "********"). pcbridge reads the current draft without it, so a current
// value with a run of three or more '*' (or U+2022 bullets) is taken for a mask: it must never
// be written back as if it were the data.
bool looks_masked(std::string_view v) {
  int run = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool bullet = v.compare(i, 3, "\xE2\x80\xA2") == 0;
    if (v[i] == '*' || bullet) {
      if (++run >= 3) return true;
      if (bullet) i += 2;
    } else {
      run = 0;
    }
  }
  return false;
}

struct instance_value {
  long index = 0;
  std::string value;
};

struct field_group {
  std::string id;
  bool multi = false;
  std::optional<std::string> value;        // single-instance fields
  std::vector<instance_value> instances;   // multi-instance fields, sorted by index
  std::vector<std::string> whole;          // the list to send
};

// The current data fields of a V2 data answer, indexed once by DataFieldId and CustomId (the
// first field wins), so patching many groups stays linear in the answer's size; 502 when the
// answer is not a data answer.
struct current_fields {
  const nlohmann::json* list = nullptr;  // Project.DataFields, or null when there are none
  std::unordered_map<std::string, std::size_t> by_id;
};

outcome<current_fields> index_current_fields(method_id m, const nlohmann::json& current) {
  current_fields index;
  if (!current.is_object()) return bad_answer(m, "(root)", "is not an object");
  const auto project = current.find("Project");
  if (project == current.end() || project->is_null()) return index;
  if (!project->is_object()) return bad_answer(m, "Project", "is not an object");
  const auto fields = project->find("DataFields");
  if (fields == project->end() || fields->is_null()) return index;
  if (!fields->is_array()) return bad_answer(m, "Project.DataFields", "is not an array");
  index.list = &*fields;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    if (!f.is_object()) continue;
    for (const char* member : {"DataFieldId", "CustomId"}) {
      const auto it = f.find(member);
      if (it != f.end() && it->is_string()) index.by_id.try_emplace(it->get<std::string>(), i);
    }
  }
  return index;
}

// The current Values of `id` (empty when the answer has no such field).
outcome<std::vector<std::string>> current_values(method_id m, const current_fields& current, const std::string& id) {
  std::vector<std::string> list;
  const auto at = current.by_id.find(id);
  if (at == current.by_id.end()) return list;
  const std::size_t i = at->second;
  const auto& f = (*current.list)[i];
  const auto values = f.find("Values");
  if (values != f.end() && values->is_array()) {
    for (std::size_t j = 0; j < values->size(); ++j) {
      const auto& v = (*values)[j];
      if (v.is_string()) list.push_back(v.get<std::string>());
      else if (v.is_null()) list.emplace_back();
      else if (v.is_number() || v.is_boolean()) list.push_back(v.dump());
      else {
        return bad_answer(m, "Project.DataFields[" + std::to_string(i) + "].Values[" + std::to_string(j) + "]",
                          "is not a string");
      }
    }
  } else if (const auto value = f.find("Value"); value != f.end() && value->is_string()) {
    list.push_back(value->get<std::string>());
  }
  return list;
}

}  // namespace

outcome<translated> set_project_data(method_id m, pugi::xml_node root, std::optional<std::string_view> current,
                                     const translate_context& ctx) {
  const pugi::xml_node project = child_named(root, "Project");
  if (!project) return bad_request(m, "request has no Project element");
  translated result;
  failure error;
  std::vector<field_group> groups;
  std::map<std::string, std::size_t, std::less<>> multi_by_id;
  std::set<std::string, std::less<>> single_ids;  // looked up per field: a set, not a list scan
  int position = 0;
  for (pugi::xml_node df = first_element(child_named(project, "DataFields")); df; df = next_element(df)) {
    if (local_name(df.name()) != "DataField") continue;
    ++position;
    std::optional<std::string> id = field_of(df, "DataFieldId");
    if (!id || trim(*id).empty()) return bad_request(m, "DataField #" + std::to_string(position) + " has no DataFieldId");
    id = std::string(trim(*id));
    std::optional<std::string> value = field_of(df, "Value");
    std::optional<std::string> index_text = field_of(df, "Instance");
    if (!index_text) index_text = field_of(df, "InstanceId");
    if (!value && ctx.profile().data_field_without_value == missing_value::skip) continue;
    if (value && !convert_value(m, *id, *value, ctx, result.typing_fallbacks, error)) return error;
    // A field the schema marks multi-instance, sent without an index, is instance 0 (mapping.md §5).
    if (!index_text && ctx.types && ctx.types->is_multi_instance(*id)) index_text = "0";

    if (!index_text) {
      if (multi_by_id.contains(*id)) {
        return bad_request(m, "DataField " + *id + " is sent both with and without an instance index");
      }
      single_ids.insert(*id);
      groups.push_back(field_group{*id, false, std::move(value), {}, {}});
      continue;
    }
    const std::optional<long> index = parse_index(*index_text);
    if (!index || *index > max_instance_index) {
      return bad_request(m, "DataField " + *id + ": instance index \"" + *index_text +
                                "\" is not an integer from 0 to " + std::to_string(max_instance_index));
    }
    if (single_ids.contains(*id)) {
      return bad_request(m, "DataField " + *id + " is sent both with and without an instance index");
    }
    auto [it, added] = multi_by_id.try_emplace(*id, groups.size());
    if (added) groups.push_back(field_group{*id, true, std::nullopt, {}, {}});
    groups[it->second].instances.push_back(instance_value{*index, value.value_or(std::string())});
  }

  // Any write with instance indexes patches the current list: V1 addressed instances one by
  // one, so a write never sends a shorter list than the current one (mapping.md §5).
  bool instances = false;
  for (auto& g : groups) {
    if (!g.multi) continue;
    instances = true;
    std::stable_sort(g.instances.begin(), g.instances.end(),
                     [](const instance_value& a, const instance_value& b) { return a.index < b.index; });
    for (std::size_t i = 0; i + 1 < g.instances.size(); ++i) {
      if (g.instances[i].index == g.instances[i + 1].index) {
        return bad_request(m, "DataField " + g.id + " has instance " + std::to_string(g.instances[i].index) +
                                  " more than once");
      }
    }
  }

  if (instances) {
    if (!current) {
      result.needs_current_data = true;
      return result;
    }
    json::reader check(*current);
    if (!check.skip_value(0) || !check.finish()) {
      return bad_answer(m, "(root)", std::string("invalid JSON: ") + check.problem() + " at offset " +
                                         std::to_string(check.offset()));
    }
    const nlohmann::json doc = json::parse_whole(*current);
    if (doc.is_discarded()) return bad_answer(m, "(root)", "invalid JSON");
    auto fields = index_current_fields(m, doc);
    if (!fields) return fields.error();
    for (auto& g : groups) {
      if (!g.multi) continue;
      auto base = current_values(m, *fields, g.id);
      if (!base) return base.error();
      g.whole = std::move(*base);
      // An instance the client did not send is written back as read: never a mask.
      for (std::size_t i = 0, next = 0; i < g.whole.size(); ++i) {
        while (next < g.instances.size() && static_cast<std::size_t>(g.instances[next].index) < i) ++next;
        const bool sent = next < g.instances.size() && static_cast<std::size_t>(g.instances[next].index) == i;
        if (!sent && looks_masked(g.whole[i])) {
          return failure{409, std::string(method_name(m)) + ": DataField " + g.id + ": instance " + std::to_string(i) +
                                  " reads as masked (sensitive data), so writing only some instances would store the "
                                  "mask over it; nothing was written: send every instance of this field in one request"};
        }
      }
      for (auto& inst : g.instances) {
        const auto i = static_cast<std::size_t>(inst.index);
        if (g.whole.size() <= i) g.whole.resize(i + 1);
        g.whole[i] = std::move(inst.value);
      }
    }
  }

  std::string& out = result.body;
  out.reserve(64 + groups.size() * 48);
  out += R"({"Project":{"DataFields":[)";
  bool first = true;
  for (const auto& g : groups) {
    if (!first) out += ',';
    first = false;
    out += R"({"DataFieldId":)";
    vf::append_json_string(out, g.id);
    if (g.multi) {
      out += R"(,"Values":[)";
      for (std::size_t i = 0; i < g.whole.size(); ++i) {
        if (i) out += ',';
        vf::append_json_string(out, g.whole[i]);
      }
      out += "]}";
    } else if (g.value) {
      out += R"(,"Value":)";
      vf::append_json_string(out, *g.value);
      out += '}';
    } else {
      out += R"(,"Value":null})";
    }
  }
  out += "]}}";
  return result;
}

}  // namespace pcbridge::translators::v1_xml
