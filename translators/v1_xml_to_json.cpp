#include "translators/v1_xml_to_json.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "translators/json_reader.hpp"
#include "translators/route_table.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators {

namespace {

namespace vf = value_format;
using ojson = nlohmann::ordered_json;

// Highest Instance index a request may name: a partial write extends the current list up to it.
constexpr long max_instance_index = 9999;

// (I) mapping.md §5: GetProjectsByData keeps the V1 names in JSON; the status filter list is
// "Status" (always an array) and DataFields is the array of Field objects.
constexpr std::string_view by_data_status_filter = "FilterByCurrentStatuses";
constexpr std::string_view by_data_status_list = "Status";
constexpr std::string_view by_data_fields = "DataFields";
constexpr std::string_view by_data_field = "Field";
constexpr std::string_view by_data_content = "Content";
constexpr std::string_view by_data_field_id = "Id";
// (I) mapping.md §5: GetProjectsByNumber sends every ProjectNumber element's text.
constexpr std::string_view by_number_element = "ProjectNumber";
constexpr std::string_view by_number_member = "ProjectNumbers";
// (I) mapping.md §5: generic XML -> JSON puts the text of an element that also has attributes
// or children under this member.
constexpr std::string_view generic_text_member = "Value";

// Methods whose V1 request must have a body (mapping.md §5); others may send none.
// (I) v1-api.md §3.26-30: SetInquiryThreadStatus/ExternalId bodies are "unknown/none", so they
// are not listed.
bool body_required(method_id m) {
  switch (m) {
    case method_id::SetProjectData:
    case method_id::GetProjectsByNumber:
    case method_id::GetProjectsByData:
    case method_id::SetAttachmentMetadata:
    case method_id::SetProjectOwner:
    case method_id::SetInquiryNote:
    case method_id::SetProjectStatusReportAs:
    case method_id::SetAssignee:
    case method_id::CreateMfaSessionToken: return true;
    default: return false;
  }
}

// Compact JSON; never throws (strings are valid UTF-8 after load(), `replace` is a backstop).
std::string to_text(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

failure bad_request(method_id m, std::string_view what) {
  std::string message(method_name(m));
  message += ": ";
  message += what;
  return failure{400, std::move(message)};
}

failure bad_answer(method_id m, std::string_view path, std::string_view problem) {
  std::string message(method_name(m));
  message += ": cannot translate V2 answer: ";
  message += path;
  message += ' ';
  message += problem;
  return failure{502, std::move(message)};
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string_view local_name(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_namespace_declaration(std::string_view attr) {
  return attr == "xmlns" || attr.starts_with("xmlns:");
}

bool is_xsi(std::string_view attr) { return attr.starts_with("xsi:"); }

std::string text_content(pugi::xml_node n) {
  std::string text;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return text;
}

pugi::xml_node first_element(pugi::xml_node n) {
  pugi::xml_node c = n.first_child();
  while (c && c.type() != pugi::node_element) c = c.next_sibling();
  return c;
}

pugi::xml_node next_element(pugi::xml_node n) {
  pugi::xml_node c = n.next_sibling();
  while (c && c.type() != pugi::node_element) c = c.next_sibling();
  return c;
}

pugi::xml_node child_named(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c = first_element(n); c; c = next_element(c)) {
    if (local_name(c.name()) == name) return c;
  }
  return {};
}

// A V1 value given as an attribute (V1 style) or as a child element's text (V2 style).
std::optional<std::string> field_of(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (!is_namespace_declaration(an) && local_name(an) == name) return std::string(a.value());
  }
  if (pugi::xml_node c = child_named(n, name)) return text_content(c);
  return std::nullopt;
}

// Parses the body and checks depth and the root's namespace (mapping.md §1).
outcome<pugi::xml_node> load(method_id m, std::string_view xml, pugi::xml_document& doc) {
  const pugi::xml_parse_result result =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!result) {
    return bad_request(m, std::string("malformed XML: ") + result.description() + " at offset " +
                              std::to_string(result.offset));
  }
  const pugi::xml_node root = doc.document_element();
  if (!root) return bad_request(m, "malformed XML: no root element");
  if (result.encoding == pugi::encoding_utf8 && !vf::is_valid_utf8(xml)) {
    return bad_request(m, "request body is not valid UTF-8");
  }

  int depth = 1;
  for (pugi::xml_node n = root;;) {
    if (pugi::xml_node c = first_element(n)) {
      n = c;
      if (++depth > max_request_xml_depth) {
        return bad_request(m, "XML nested deeper than " + std::to_string(max_request_xml_depth) + " elements");
      }
      continue;
    }
    while (n != root && !next_element(n)) {
      n = n.parent();
      --depth;
    }
    if (n == root) break;
    n = next_element(n);
  }

  const std::string_view name = root.name();
  const auto colon = name.find(':');
  std::string declaration = "xmlns";
  if (colon != std::string_view::npos) declaration.append(":").append(name.substr(0, colon));
  const pugi::xml_attribute ns = root.attribute(declaration.c_str());
  if (!ns && colon != std::string_view::npos) {
    return bad_request(m, "namespace prefix '" + std::string(name.substr(0, colon)) + "' of the request root is not declared");
  }
  const std::string_view uri = ns ? std::string_view(ns.value()) : std::string_view{};
  if (!uri.empty() && uri != v1_namespace && uri != v1_namespace_without_slash) {
    return bad_request(m, "request root " + std::string(local_name(name)) + " is in namespace '" +
                              std::string(uri) + "', expected '" + std::string(v1_namespace) + "'");
  }
  return root;
}

// Generic XML -> JSON (mapping.md §5): attributes and text-only children -> strings,
// repeated children -> arrays, xsi:nil="true" -> null.
ojson generic_value(pugi::xml_node n);

// Object flags are strings in V1 and JSON booleans in V2 (mapping.md §3; IsAdmin per the
// migration notes). (I) which request members are flags: the V1 inquiry bodies are unknown.
constexpr std::string_view request_flags[] = {"IsAdmin", "CanSubmit"};

ojson generic_object(pugi::xml_node n) {
  ojson o = ojson::object();
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (is_namespace_declaration(an) || is_xsi(an)) continue;
    o[std::string(local_name(an))] = a.value();
  }
  std::vector<std::string> seen;
  for (pugi::xml_node c = first_element(n); c; c = next_element(c)) {
    const std::string key(local_name(c.name()));
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    std::vector<pugi::xml_node> same;
    for (pugi::xml_node d = c; d; d = next_element(d)) {
      if (local_name(d.name()) == key) same.push_back(d);
    }
    if (same.size() == 1) {
      o[key] = generic_value(c);
    } else {
      ojson list = ojson::array();
      for (auto d : same) list.push_back(generic_value(d));
      o[key] = std::move(list);
    }
  }
  const std::string text = text_content(n);
  if (!trim(text).empty() && !o.contains(generic_text_member)) o[std::string(generic_text_member)] = text;
  for (std::string_view flag : request_flags) {
    auto it = o.find(std::string(flag));
    if (it == o.end() || !it->is_string()) continue;
    if (auto b = vf::parse_v1_boolean(it->get<std::string>())) *it = (*b == "true");
  }
  return o;
}

ojson generic_value(pugi::xml_node n) {
  bool has_attributes = false;
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view an = a.name();
    if (is_xsi(an) && local_name(an) == "nil" && trim(a.value()) == "true") return nullptr;
    if (!is_namespace_declaration(an) && !is_xsi(an)) has_attributes = true;
  }
  if (!has_attributes && !first_element(n)) return text_content(n);
  return generic_object(n);
}

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
          error = bad_request(m, "DataField " + std::string(field) + ": \"" + value +
                                     "\" is not a date (expected MM/dd/yyyy, M/d/yyyy or yyyy-MM-dd)");
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

struct instance_value {
  long index = 0;
  std::string value;
};

struct field_group {
  std::string id;
  bool multi = false;
  std::optional<std::string> value;        // single-instance fields
  std::vector<instance_value> instances;   // multi-instance fields, sorted by index
  bool complete = true;                    // indexes are exactly 0..n-1
  std::vector<std::string> whole;          // the list to send
};

// The current Values of `id` in a V2 data answer; 502 when the answer is not one.
outcome<std::vector<std::string>> current_values(method_id m, const nlohmann::json& current, const std::string& id) {
  std::vector<std::string> list;
  if (!current.is_object()) return bad_answer(m, "(root)", "is not an object");
  const auto project = current.find("Project");
  if (project == current.end() || project->is_null()) return list;
  if (!project->is_object()) return bad_answer(m, "Project", "is not an object");
  const auto fields = project->find("DataFields");
  if (fields == project->end() || fields->is_null()) return list;
  if (!fields->is_array()) return bad_answer(m, "Project.DataFields", "is not an array");
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    if (!f.is_object()) continue;
    auto matches = [&](const char* member) {
      const auto it = f.find(member);
      return it != f.end() && it->is_string() && it->get_ref<const std::string&>() == id;
    };
    if (!matches("DataFieldId") && !matches("CustomId")) continue;
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
  return list;
}

outcome<translated> set_project_data(method_id m, pugi::xml_node root, std::optional<std::string_view> current,
                                     const translate_context& ctx) {
  const pugi::xml_node project = child_named(root, "Project");
  if (!project) return bad_request(m, "request has no Project element");
  translated result;
  failure error;
  std::vector<field_group> groups;
  std::map<std::string, std::size_t, std::less<>> multi_by_id;
  std::vector<std::string> single_ids;
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
    if (value && !convert_value(m, *id, *value, ctx, result.typing_fallbacks, error)) return error;

    if (!index_text) {
      if (multi_by_id.contains(*id)) {
        return bad_request(m, "DataField " + *id + " is sent both with and without an instance index");
      }
      single_ids.push_back(*id);
      groups.push_back(field_group{*id, false, std::move(value), {}, true, {}});
      continue;
    }
    const std::optional<long> index = parse_index(*index_text);
    if (!index || *index > max_instance_index) {
      return bad_request(m, "DataField " + *id + ": instance index \"" + *index_text +
                                "\" is not an integer from 0 to " + std::to_string(max_instance_index));
    }
    if (std::find(single_ids.begin(), single_ids.end(), *id) != single_ids.end()) {
      return bad_request(m, "DataField " + *id + " is sent both with and without an instance index");
    }
    auto [it, added] = multi_by_id.try_emplace(*id, groups.size());
    if (added) groups.push_back(field_group{*id, true, std::nullopt, {}, true, {}});
    groups[it->second].instances.push_back(instance_value{*index, value.value_or(std::string())});
  }

  bool partial = false;
  for (auto& g : groups) {
    if (!g.multi) continue;
    std::stable_sort(g.instances.begin(), g.instances.end(),
                     [](const instance_value& a, const instance_value& b) { return a.index < b.index; });
    for (std::size_t i = 0; i + 1 < g.instances.size(); ++i) {
      if (g.instances[i].index == g.instances[i + 1].index) {
        return bad_request(m, "DataField " + g.id + " has instance " + std::to_string(g.instances[i].index) +
                                  " more than once");
      }
    }
    g.complete = g.instances.back().index == static_cast<long>(g.instances.size()) - 1;
    if (g.complete) {
      for (auto& inst : g.instances) g.whole.push_back(std::move(inst.value));
    } else {
      partial = true;
    }
  }

  if (partial) {
    if (!current) {
      result.needs_current_data = true;
      return result;
    }
    json::reader check(*current);
    if (!check.skip_value(0) || !check.finish()) {
      return bad_answer(m, "(root)", std::string("invalid JSON: ") + check.problem() + " at offset " +
                                         std::to_string(check.offset()));
    }
    const nlohmann::json doc = nlohmann::json::parse(*current, nullptr, false);
    if (doc.is_discarded()) return bad_answer(m, "(root)", "invalid JSON");
    for (auto& g : groups) {
      if (!g.multi || g.complete) continue;
      auto base = current_values(m, doc, g.id);
      if (!base) return base.error();
      g.whole = std::move(*base);
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

void collect_project_numbers(pugi::xml_node n, ojson& list) {
  // Iterative pre-order walk (depth is already bounded by load()).
  const pugi::xml_node top = n;
  while (n) {
    if (local_name(n.name()) == by_number_element) {
      const std::string text = text_content(n);
      if (!trim(text).empty()) list.push_back(std::string(trim(text)));
    }
    if (pugi::xml_node c = first_element(n)) {
      n = c;
      continue;
    }
    while (n && n != top && !next_element(n)) n = n.parent();
    if (!n || n == top) break;
    n = next_element(n);
  }
}

ojson as_array(ojson v) {
  if (v.is_array()) return v;
  if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) return ojson::array();
  ojson list = ojson::array();
  list.push_back(std::move(v));
  return list;
}

outcome<translated> projects_by_data(pugi::xml_node root, const translate_context& ctx) {
  translated result;
  ojson body = generic_object(root);
  const std::string status_filter(by_data_status_filter);
  if (body.contains(status_filter) && body[status_filter].is_object()) {
    auto& filter = body[status_filter];
    const std::string list(by_data_status_list);
    filter[list] = as_array(filter.contains(list) ? filter[list] : ojson());
  }
  const std::string fields_key(by_data_fields);
  if (body.contains(fields_key)) {
    ojson fields = body[fields_key];
    const std::string item(by_data_field);
    ojson list = fields.is_object() && fields.contains(item) ? as_array(fields[item]) : as_array(fields);
    for (auto& field : list) {
      if (!field.is_object()) continue;
      const std::string content_key(by_data_content);
      if (!field.contains(content_key) || !field[content_key].is_string()) continue;
      const std::string content = field[content_key].get<std::string>();
      std::optional<value_type> type;
      const std::string id_key(by_data_field_id);
      if (ctx.types && field.contains(id_key) && field[id_key].is_string()) {
        type = ctx.types->find(field[id_key].get<std::string>());
      }
      if (type && *type != value_type::date) continue;
      const auto d = vf::parse_v1_date(trim(content));
      if (!d) continue;
      const std::string v2 = vf::format_v2_date(*d);
      if (v2 != content) {
        field[content_key] = v2;
        if (!type) ++result.typing_fallbacks;
      }
    }
    body[fields_key] = std::move(list);
  }
  result.body = to_text(body);
  return result;
}

}  // namespace

outcome<translated> v1_xml_to_json(method_id method, std::string_view v1_xml,
                                   std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx) {
  const route& r = route_for(method);
  if (r.request_body == body_kind::none) return translated{};
  if (r.request_body == body_kind::binary) return translated{std::string(v1_xml)};
  if (trim(v1_xml).empty()) {
    if (body_required(method)) return bad_request(method, "empty request body; V1 XML expected");
    return translated{};
  }
  pugi::xml_document doc;
  auto root = load(method, v1_xml, doc);
  if (!root) return root.error();

  switch (method) {
    case method_id::SetProjectData: return set_project_data(method, *root, current_v2_json, ctx);
    case method_id::GetProjectsByNumber: {
      ojson list = ojson::array();
      collect_project_numbers(*root, list);
      ojson body = ojson::object();
      body[std::string(by_number_member)] = std::move(list);
      return translated{to_text(body)};
    }
    case method_id::GetProjectsByData: return projects_by_data(*root, ctx);
    case method_id::SetAttachmentMetadata: {
      ojson body = ojson::object();
      for (const char* member : {"AttachmentStatus", "Note"}) {
        if (auto v = field_of(*root, member)) body[member] = *v;
      }
      return translated{to_text(body)};
    }
    case method_id::SetProjectOwner: {
      const auto email = field_of(*root, "OwnerEmail");
      if (!email) return bad_request(method, "request has no OwnerEmail");
      ojson body = ojson::object();
      body["OwnerEmail"] = std::string(trim(*email));
      return translated{to_text(body)};
    }
    default: return translated{to_text(generic_object(*root))};
  }
}

}  // namespace pcbridge::translators
