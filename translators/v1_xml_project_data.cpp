// SetProjectData: V1 DataField elements -> V2 DataFields, grouping multi-instance fields and
// merging a partial instance write with the current data (mapping.md §5).
#include <algorithm>
#include <memory>
#include <deque>
#include <string>
#include <vector>

#include "translators/current_data.hpp"
#include "translators/id_index.hpp"
#include "translators/v1_xml_jobs.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators {

namespace {

using namespace v1_xml;

namespace vf = value_format;

// Highest Instance index a request may name: a write extends the current list up to it. A
// gap (index 5 of a 3-instance field) is padded with empty instances, which is how V2 writes
// an instance without a value (v2-api.md §2.8), so the index the client named stays its index.
constexpr long max_instance_index = 9999;

// (I) A DataField without a Value attribute: compat data_field_without_value (its default and
// evidence in compat_profile.cpp). `clear`: single-instance fields send "Value":null, an
// instance becomes "" (an instance without a value); `skip`: the element is ignored.

// A data-field value in a request, typed through the schema (`type`, when it knows the field)
// or by pattern (mapping.md §3). `out` views the request's own text or a literal; a value
// that converting made anew (a V2 date) is kept in `made` (a deque: its strings never move).
// Most values pass through unchanged, so they are not copied. False (with `error`) when a
// Date field's value is not a date.
bool convert_value(method_id m, std::string_view field, std::string_view value, std::optional<value_type> type,
                   std::deque<std::string>& made, std::string_view& out, int& fallbacks, failure& error) {
  out = value;
  if (type) {
    switch (*type) {
      case value_type::date: {
        if (trim(value).empty()) {
          out = {};
          return true;
        }
        const auto d = vf::parse_v1_date(trim(value));
        if (!d) {
          error = bad_request(m, "DataField " + std::string(field) + ": \"" + std::string(value) +
                                     "\" is not a date (expected " + std::string(vf::v1_date_shapes) + ")");
          return false;
        }
        out = made.emplace_back(vf::format_v2_date(*d));
        return true;
      }
      case value_type::boolean:
        if (auto b = vf::parse_v1_boolean(value)) out = *b;  // a literal: "true" or "false"
        return true;
      case value_type::text: return true;
    }
    return true;
  }
  // No schema: exact V1 patterns only.
  if (value.find('/') != std::string_view::npos && !vf::is_v2_date(value)) {
    if (auto d = vf::parse_v1_date(value)) {
      out = made.emplace_back(vf::format_v2_date(*d));
      ++fallbacks;
    }
  } else if (value == "True" || value == "False") {
    out = value == "True" ? "true" : "false";
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
    // The lead byte first: a compare per byte was a memcmp call for every byte of every value.
    const bool bullet = v[i] == '\xE2' && v.compare(i, 3, "\xE2\x80\xA2") == 0;
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
  std::string_view value;
};

// One DataFieldId of the write. Views point into the parsed request (ids, most values) or
// into project_data_plan::texts.
struct field_group {
  std::string_view id;
  bool multi = false;
  std::optional<std::string_view> value;   // single-instance fields
  std::vector<instance_value> instances;   // multi-instance fields, sorted by index
};

// The write's fields, grouped (group_fields); `texts` holds the texts the groups view that
// are not in the document: V2-style child elements' texts and converted values.
struct project_data_plan {
  std::vector<field_group> groups;
  std::deque<std::string> texts;
  int typing_fallbacks = 0;
  bool instances = false;  // some field is written by instance index: needs the current data
};

// Reads the DataField elements into groups; 400 for what V1 could not have meant.
std::optional<failure> group_fields(method_id m, pugi::xml_node root, const translate_context& ctx,
                                    project_data_plan& plan) {
  const pugi::xml_node project = child_named(root, "Project");
  if (!project) return bad_request(m, "request has no Project element");
  failure error;
  const pugi::xml_node data_fields = child_named(project, "DataFields");
  std::vector<field_group>& groups = plan.groups;
  std::size_t elements = 0;
  for (pugi::xml_node df = first_element(data_fields); df; df = next_element(df)) ++elements;
  groups.reserve(elements);  // no regrowth copying groups while they are built
  // id -> its group: the multi-instance group of that id, or the first single-value one (the
  // same single id may be sent twice; an id both with and without an index is a 400).
  id_index group_of(elements);
  int position = 0;
  static constexpr std::string_view names[] = {"DataFieldId", "Value", "Instance", "InstanceId"};
  std::optional<std::string_view> fields[std::size(names)];
  for (pugi::xml_node df = first_element(data_fields); df; df = next_element(df)) {
    if (local_name(df.name()) != "DataField") continue;
    ++position;
    field_views_of(df, names, fields, plan.texts);
    const std::string_view id = fields[0] ? trim(*fields[0]) : std::string_view{};
    if (id.empty()) return bad_request(m, "DataField #" + std::to_string(position) + " has no DataFieldId");
    const std::optional<std::string_view>& value = fields[1];
    std::optional<std::string_view> index_text = fields[2] ? fields[2] : fields[3];
    if (!value && ctx.profile().data_field_without_value == missing_value::skip) continue;
    std::optional<std::string_view> converted;
    if (value) {
      const std::optional<value_type> type = ctx.types ? ctx.types->find(id) : std::nullopt;
      if (!convert_value(m, id, *value, type, plan.texts, converted.emplace(), plan.typing_fallbacks, error)) {
        return error;
      }
    }
    // A field the schema marks multi-instance, sent without an index, is instance 0 (mapping.md §5).
    if (!index_text && ctx.types && ctx.types->is_multi_instance(id)) index_text = "0";

    const auto [known, added] = group_of.try_emplace(id, static_cast<std::uint32_t>(groups.size()));
    if (!index_text) {
      if (!added && groups[known].multi) {
        return bad_request(m, "DataField " + std::string(id) + " is sent both with and without an instance index");
      }
      groups.push_back(field_group{id, false, converted, {}});
      continue;
    }
    const std::optional<long> index = parse_index(*index_text);
    if (!index || *index > max_instance_index) {
      return bad_request(m, "DataField " + std::string(id) + ": instance index \"" + std::string(*index_text) +
                                "\" is not an integer from 0 to " + std::to_string(max_instance_index));
    }
    if (!added && !groups[known].multi) {
      return bad_request(m, "DataField " + std::string(id) + " is sent both with and without an instance index");
    }
    if (added) groups.push_back(field_group{id, true, std::nullopt, {}});
    groups[known].instances.push_back(instance_value{*index, converted.value_or(std::string_view{})});
  }
  for (auto& g : groups) {
    if (!g.multi) continue;
    plan.instances = true;
    std::stable_sort(g.instances.begin(), g.instances.end(),
                     [](const instance_value& a, const instance_value& b) { return a.index < b.index; });
    for (std::size_t i = 0; i + 1 < g.instances.size(); ++i) {
      if (g.instances[i].index == g.instances[i + 1].index) {
        return bad_request(m, "DataField " + std::string(g.id) + " has instance " + std::to_string(g.instances[i].index) +
                                  " more than once");
      }
    }
  }
  return std::nullopt;
}

// The list each multi-instance group sends (in group order), and the current values its
// views may point into.
struct patched_lists {
  current_lists current;
  std::vector<std::vector<std::string_view>> whole;
};

// Patches the instances the write names into the current lists (mapping.md §5). 409 when an
// instance the client did not send reads as masked.
std::optional<failure> patch_with_current(method_id m, const std::vector<field_group>& groups, std::string_view current,
                                          patched_lists& out) {
  // The multi-instance ids, numbered in group order: read_current_values answers by number.
  id_index wanted(groups.size());
  std::uint32_t wanted_count = 0;
  for (const auto& g : groups)
    if (g.multi) wanted.try_emplace(g.id, wanted_count++);
  auto read = read_current_values(m, current, wanted, wanted_count);
  if (!read) return read.error();
  out.current = std::move(*read);
  out.whole.resize(wanted_count);
  std::uint32_t number = 0;
  for (const auto& g : groups) {
    if (!g.multi) continue;
    std::vector<std::string_view>& whole = out.whole[number];
    if (const auto& list = out.current[number++]) whole.assign(list->begin(), list->end());
    // An instance the client did not send is written back as read: never a mask.
    for (std::size_t i = 0, next = 0; i < whole.size(); ++i) {
      while (next < g.instances.size() && static_cast<std::size_t>(g.instances[next].index) < i) ++next;
      const bool sent = next < g.instances.size() && static_cast<std::size_t>(g.instances[next].index) == i;
      if (!sent && looks_masked(whole[i])) {
        return failure{409, std::string(method_name(m)) + ": DataField " + std::string(g.id) + ": instance " +
                                std::to_string(i) +
                                " reads as masked (sensitive data), so writing only some instances would store the "
                                "mask over it; nothing was written: send every instance of this field in one request"};
      }
    }
    for (const auto& inst : g.instances) {
      const auto i = static_cast<std::size_t>(inst.index);
      if (whole.size() <= i) whole.resize(i + 1);
      whole[i] = inst.value;
    }
  }
  return std::nullopt;
}

// The V2 body; `lists` is null when no group is multi-instance.
std::string write_body(const std::vector<field_group>& groups, const patched_lists* lists) {
  // Room for the whole body unless values need escapes: growing it copied it several times.
  std::size_t size = 32;
  for (std::size_t i = 0, number = 0; i < groups.size(); ++i) {
    size += 40 + groups[i].id.size() + (groups[i].value ? groups[i].value->size() : 0);
    if (groups[i].multi)
      for (std::string_view v : lists->whole[number++]) size += 3 + v.size();
  }
  std::string out;
  out.reserve(size);
  out += R"({"Project":{"DataFields":[)";
  std::size_t number = 0;
  for (const auto& g : groups) {
    out += &g == groups.data() ? R"({"DataFieldId":")" : R"(,{"DataFieldId":")";
    vf::append_json_escaped(out, g.id);
    if (g.multi) {
      out += R"(","Values":[)";
      const std::vector<std::string_view>& whole = lists->whole[number++];
      for (std::size_t i = 0; i < whole.size(); ++i) {
        out += i ? R"(,")" : R"(")";
        vf::append_json_escaped(out, whole[i]);
        out += '"';
      }
      out += "]}";
    } else if (g.value) {
      out += R"(","Value":")";
      vf::append_json_escaped(out, *g.value);
      out += R"("})";
    } else {
      out += R"(","Value":null})";
    }
  }
  out += "]}}";
  return out;
}

outcome<translated> write_with_current(method_id m, const project_data_plan& plan, std::string_view current) {
  patched_lists lists;
  if (auto error = patch_with_current(m, plan.groups, current, lists)) return *error;
  translated result;
  result.typing_fallbacks = plan.typing_fallbacks;
  result.body = write_body(plan.groups, &lists);
  return result;
}

}  // namespace

// A first step that waits for the current data (translate.hpp).
struct pending_write {
  method_id method;
  std::shared_ptr<const void> owner;  // the parsed request the plan's views point into
  project_data_plan plan;
};

namespace v1_xml {

outcome<translated> set_project_data(method_id m, pugi::xml_node root, std::optional<std::string_view> current,
                                     const translate_context& ctx, std::shared_ptr<const void> owner) {
  project_data_plan plan;
  if (auto error = group_fields(m, root, ctx, plan)) return *error;
  if (!plan.instances) {
    translated result;
    result.typing_fallbacks = plan.typing_fallbacks;
    result.body = write_body(plan.groups, nullptr);
    return result;
  }
  // Any write with instance indexes patches the current list: V1 addressed instances one by
  // one, so a write never sends a shorter list than the current one (mapping.md §5).
  if (current) return write_with_current(m, plan, *current);
  translated result;
  result.typing_fallbacks = plan.typing_fallbacks;
  result.needs_current_data = true;
  if (owner) result.pending = std::make_shared<const pending_write>(pending_write{m, std::move(owner), std::move(plan)});
  return result;
}

outcome<translated> finish_project_data(const pending_write& pending, std::string_view current) {
  return write_with_current(pending.method, pending.plan, current);
}

}  // namespace v1_xml
}  // namespace pcbridge::translators
