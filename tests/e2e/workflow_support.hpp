#pragma once
// Helpers of the V1 workflow end-to-end tests (test_workflow_*.cpp): V1 XML answers parsed
// and checked element by element, and what reached the simulator (paths, JSON bodies).
//
// The XML is read with Boost.PropertyTree's parser (header-only): the e2e binary does not link
// pugixml (tests/CMakeLists.txt), and Boost is already a dependency of the harness.
#include <doctest/doctest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

namespace e2e::workflow {

using nlohmann::json;

inline const std::string v1_namespace = "http://service.powerclerk.com/api/v1/";
inline const std::string v1_ns = "xmlns=\"" + v1_namespace + "\"";
inline const std::string xml_declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
inline const std::string landing = "http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=" + program + "&ProjectId=";

// Seed data of the simulator (tools/sim/README.md).
inline const std::string new_project = "PRJ000000001";       // the first CreateNewProject of a fresh simulator
inline const std::string client_email = sim_client_id + "@example.com";  // the simulator's caller identity

// ---- V1 XML, parsed -------------------------------------------------------------------------

// One XML element: data attributes apart from namespace declarations, child elements in order.
struct element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::map<std::string, std::string> ns_decls;  // "xmlns" / "xmlns:p" -> URI
  std::vector<element> children;
  std::string text;

  std::vector<std::string> child_names() const {
    std::vector<std::string> out;
    for (const auto& c : children) out.push_back(c.name);
    return out;
  }
  std::vector<const element*> all(const std::string& n) const {
    std::vector<const element*> out;
    for (const auto& c : children)
      if (c.name == n) out.push_back(&c);
    return out;
  }
  // The one child named `n` (the test stops if there is not exactly one).
  const element& child(const std::string& n) const {
    const auto found = all(n);
    REQUIRE_MESSAGE(found.size() == 1, "<" << name << "> has " << found.size() << " <" << n << "> children");
    return *found.front();
  }
  std::string attr(const std::string& n) const {
    const auto it = attrs.find(n);
    return it == attrs.end() ? std::string("(absent)") : it->second;
  }
};

namespace pt = boost::property_tree;

inline element from_tree(const std::string& name, const pt::ptree& tree) {
  element e;
  e.name = name;
  e.text = tree.data();
  for (const auto& [key, sub] : tree) {
    if (key == "<xmlattr>") {
      for (const auto& [attr, value] : sub) {
        if (attr == "xmlns" || attr.rfind("xmlns:", 0) == 0) e.ns_decls[attr] = value.data();
        else e.attrs[attr] = value.data();
      }
    } else if (key != "<xmlcomment>") {
      e.children.push_back(from_tree(key, sub));
    }
  }
  return e;
}

// No element below the root is prefixed or declares a namespace: all are in the root's default one.
inline void check_unprefixed(const element& e, bool is_root) {
  CHECK_MESSAGE(e.name.find(':') == std::string::npos, "prefixed element <" << e.name << ">");
  if (!is_root) CHECK_MESSAGE(e.ns_decls.empty(), "<" << e.name << "> declares a namespace");
  for (const auto& [attr, value] : e.attrs) CHECK_MESSAGE(attr.find(':') == std::string::npos, "attribute " << attr);
  for (const auto& c : e.children) check_unprefixed(c, false);
}

// A V1 XML answer (mapping.md §1): status, content type, declaration, root name, root in the V1
// namespace (xsd/xsi declarations allowed, nothing else).
inline element v1_answer(const reply& r, int status, const std::string& root_name) {
  CAPTURE(r.body);
  REQUIRE(r.status == status);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  REQUIRE(r.body.rfind(xml_declaration, 0) == 0);
  pt::ptree tree;
  std::istringstream in(r.body);
  try {
    pt::read_xml(in, tree, pt::xml_parser::trim_whitespace | pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    FAIL("V1 answer is not well-formed XML: " << e.what());
  }
  REQUIRE(tree.size() == 1);
  const element root = from_tree(tree.begin()->first, tree.begin()->second);
  REQUIRE(root.name == root_name);
  CHECK(root.ns_decls.at("xmlns") == v1_namespace);
  for (const auto& [decl, uri] : root.ns_decls) {
    if (decl == "xmlns") continue;
    const bool known = (decl == "xmlns:xsd" && uri == "http://www.w3.org/2001/XMLSchema") ||
                       (decl == "xmlns:xsi" && uri == "http://www.w3.org/2001/XMLSchema-instance");
    CHECK_MESSAGE(known, "unexpected declaration " << decl << "=" << uri);
  }
  check_unprefixed(root, true);
  return root;
}

inline bool is_timestamp(const std::string& s) {  // ISO with offset, optional 1-7 fraction digits
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?[+-]\d{2}:\d{2})");
  return std::regex_match(s, re);
}

// Wildcard value in expected attribute sets: "present, and an ISO timestamp with offset".
inline const std::string any_timestamp = "\x01timestamp";

// The element's attributes are exactly `expected` (names and values; order is not significant in XML).
inline void check_attrs(const element& e, const std::map<std::string, std::string>& expected) {
  std::vector<std::string> got, want;
  for (const auto& [k, v] : e.attrs) got.push_back(k);
  for (const auto& [k, v] : expected) want.push_back(k);
  CHECK_MESSAGE(got == want, "attributes of <" << e.name << ">");
  for (const auto& [k, v] : expected) {
    if (v == any_timestamp) CHECK_MESSAGE(is_timestamp(e.attr(k)), "<" << e.name << " " << k << "=\"" << e.attr(k) << "\">");
    else CHECK_MESSAGE(e.attr(k) == v, "<" << e.name << " " << k << "=\"" << e.attr(k) << "\"> expected \"" << v << "\"");
  }
}

inline void check_v1_error(const reply& r, int status, const std::string& message) {
  const element e = v1_answer(r, status, "Error");
  check_attrs(e, {{"Status", std::to_string(status)}, {"Message", message}, {"RequestId", r.header("x-request-id")}});
  CHECK(e.children.empty());
}

// ---- what reached the simulator ---------------------------------------------------------------

// "METHOD target" of every API request since the last clear.
inline std::vector<std::string> upstream_calls(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_api_requests())
    out.push_back(r["method"].get<std::string>() + " " + r["target"].get<std::string>());
  return out;
}

inline json upstream_body(const json& request) { return json::parse(request["body"].get<std::string>()); }

inline std::string utc_date_today(std::chrono::hours shift = std::chrono::hours(0)) {
  const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + shift)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

inline std::string data_request(const std::string& project, const std::string& fields) {
  return "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + project + "\" FormId=\"" + form +
         "\"><DataFields>" + fields + "</DataFields></Project></ProjectDataRequest>";
}

inline std::string data_path(const std::string& project) { return "/Projects/" + project + "/Forms/" + form; }

// One <DataField> of a V1 data answer.
struct v1_field {
  std::string id, name;
  std::optional<std::string> value;
  std::optional<std::string> instance;
};

inline void check_data_fields(const element& fields, const std::vector<v1_field>& expected) {
  const auto got = fields.all("DataField");
  CHECK(fields.children.size() == got.size());
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    const auto& want = expected[i];
    std::map<std::string, std::string> attrs = {{"DataFieldId", want.id}, {"Name", want.name}};
    if (want.value) attrs["Value"] = *want.value;
    if (want.instance) attrs["Instance"] = *want.instance;
    check_attrs(*got[i], attrs);  // never a CustomId (mapping.md §4.4)
    CHECK(got[i]->children.empty());
  }
}

// The Interconnection Application draft of the new project after the workflow's SetProjectData.
inline void check_new_project_data(const element& project, const std::string& status, const std::string& can_submit) {
  check_attrs(project, {{"ProjectId", new_project},
                        {"ProgramId", program},
                        {"Status", status},
                        {"StatusTimestamp", any_timestamp},
                        {"CanSubmit", can_submit}});  // no LastChangeTimestamp, no ProjectNumber yet
  // V1's <CurrentStatus> element beside the flattened attributes (issue 10 item 2, mapping.md §4 rule 8).
  REQUIRE(project.child_names() == std::vector<std::string>{"Url", "CurrentStatus", "DataFields", "Attachments"});
  check_attrs(project.child("Url"), {{"Value", landing + new_project}});
  check_attrs(project.child("CurrentStatus"),
              {{"StatusId", "U5N0B1T2D3AA"}, {"Name", status}, {"Timestamp", any_timestamp}});  // no CustomId
  check_data_fields(project.child("DataFields"),
                    {{"DF0CUSTNAME1", "Customer name", "Casey & Kim", {}},
                     {"DF1BATTERY01", "Has battery", "True", {}},
                     {"DF2SYSSIZE02", "System size (kW)", "7.5", {}},
                     {"DF3DATES0003", "Install dates", "10/28/2024", "0"},
                     {"DF3DATES0003", "Install dates", "11/05/2024", "1"},
                     {"DF4UTILITY04", "Utility", "City Light", {}},
                     {"DF5INSPDATE5", "Inspection date", "10/28/2024", {}},
                     {"DF6PREFDATE6", "Preferred install date", "2024-01-02", {}},  // Text: untouched
                     {"DF7METERNO07", "Meter number", "MTR-77", {}},
                     {"DF8ACCOUNT08", "Utility account number", {}, {}},
                     {"DF9INVERTER9", "Inverter manufacturer", {}, {}}});
  const auto attachments = project.child("Attachments").all("Attachment");
  REQUIRE(attachments.size() == 2);
  check_attrs(*attachments[0], {{"AttachmentId", "AT1UTILBILL1"}, {"Name", "Utility Bill"}});
  check_attrs(*attachments[1], {{"AttachmentId", "AT2SITEPLAN2"}, {"Name", "Site Plan"}});
}

// A project of a V1 list answer (GetProjects, ByNumber, ByData): the full attribute set (§4.5).
inline void check_list_project(const element& p, const std::map<std::string, std::string>& attrs) {
  check_attrs(p, attrs);
  REQUIRE(p.child_names() == std::vector<std::string>{"Url"});
  check_attrs(p.child("Url"), {{"Value", landing + p.attr("ProjectId")}});
}

inline const element* find_project(const element& projects, const std::string& id) {
  for (const auto* p : projects.all("Project"))
    if (p->attr("ProjectId") == id) return p;
  return nullptr;
}

}  // namespace e2e::workflow
