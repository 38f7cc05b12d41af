// End-to-end: the legacy V1 workflow through pcbridge and the V2 simulator. Every V1 answer
// is parsed as XML and checked element by element (root, namespace, attributes, children);
// every step also checks exactly what reached the simulator (paths, JSON bodies).
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

using namespace e2e;
using nlohmann::json;

namespace {

const std::string v1_namespace = "http://service.powerclerk.com/api/v1/";
const std::string v1_ns = "xmlns=\"" + v1_namespace + "\"";
const std::string xml_declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
const std::string landing = "http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=" + program + "&ProjectId=";

// Seed data of the simulator (tools/sim/README.md).
const std::string new_project = "PRJ000000001";       // the first CreateNewProject of a fresh simulator
const std::string client_email = sim_client_id + "@example.com";  // the simulator's caller identity

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

element from_tree(const std::string& name, const pt::ptree& tree) {
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
void check_unprefixed(const element& e, bool is_root) {
  CHECK_MESSAGE(e.name.find(':') == std::string::npos, "prefixed element <" << e.name << ">");
  if (!is_root) CHECK_MESSAGE(e.ns_decls.empty(), "<" << e.name << "> declares a namespace");
  for (const auto& [attr, value] : e.attrs) CHECK_MESSAGE(attr.find(':') == std::string::npos, "attribute " << attr);
  for (const auto& c : e.children) check_unprefixed(c, false);
}

// A V1 XML answer (mapping.md §1): status, content type, declaration, root name, root in the V1
// namespace (xsd/xsi declarations allowed, nothing else).
element v1_answer(const reply& r, int status, const std::string& root_name) {
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

bool is_timestamp(const std::string& s) {  // ISO with offset, optional 1-7 fraction digits
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?[+-]\d{2}:\d{2})");
  return std::regex_match(s, re);
}

// Wildcard value in expected attribute sets: "present, and an ISO timestamp with offset".
const std::string any_timestamp = "\x01timestamp";

// The element's attributes are exactly `expected` (names and values; order is not significant in XML).
void check_attrs(const element& e, const std::map<std::string, std::string>& expected) {
  std::vector<std::string> got, want;
  for (const auto& [k, v] : e.attrs) got.push_back(k);
  for (const auto& [k, v] : expected) want.push_back(k);
  CHECK_MESSAGE(got == want, "attributes of <" << e.name << ">");
  for (const auto& [k, v] : expected) {
    if (v == any_timestamp) CHECK_MESSAGE(is_timestamp(e.attr(k)), "<" << e.name << " " << k << "=\"" << e.attr(k) << "\">");
    else CHECK_MESSAGE(e.attr(k) == v, "<" << e.name << " " << k << "=\"" << e.attr(k) << "\"> expected \"" << v << "\"");
  }
}

void check_v1_error(const reply& r, int status, const std::string& message) {
  const element e = v1_answer(r, status, "Error");
  check_attrs(e, {{"Status", std::to_string(status)}, {"Message", message}, {"RequestId", r.header("x-request-id")}});
  CHECK(e.children.empty());
}

// ---- what reached the simulator ---------------------------------------------------------------

// "METHOD target" of every API request since the last clear.
std::vector<std::string> upstream_calls(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_api_requests())
    out.push_back(r["method"].get<std::string>() + " " + r["target"].get<std::string>());
  return out;
}

json upstream_body(const json& request) { return json::parse(request["body"].get<std::string>()); }

std::string utc_date_today(std::chrono::hours shift = std::chrono::hours(0)) {
  const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + shift)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string data_request(const std::string& project, const std::string& fields) {
  return "<ProjectDataRequest " + v1_ns + "><Project ProjectId=\"" + project + "\" FormId=\"" + form +
         "\"><DataFields>" + fields + "</DataFields></Project></ProjectDataRequest>";
}

std::string data_path(const std::string& project) { return "/Projects/" + project + "/Forms/" + form; }

// One <DataField> of a V1 data answer.
struct v1_field {
  std::string id, name;
  std::optional<std::string> value;
  std::optional<std::string> instance;
};

void check_data_fields(const element& fields, const std::vector<v1_field>& expected) {
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
void check_new_project_data(const element& project, const std::string& status, const std::string& can_submit) {
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
void check_list_project(const element& p, const std::map<std::string, std::string>& attrs) {
  check_attrs(p, attrs);
  REQUIRE(p.child_names() == std::vector<std::string>{"Url"});
  check_attrs(p.child("Url"), {{"Value", landing + p.attr("ProjectId")}});
}

const element* find_project(const element& projects, const std::string& id) {
  for (const auto* p : projects.all("Project"))
    if (p->attr("ProjectId") == id) return p;
  return nullptr;
}

}  // namespace

TEST_CASE("workflow: create, set draft data, read it back, submit, poll changes, status history") {
  stack s;
  const std::string since_date = utc_date_today();  // before anything changes in this simulator

  // 1. CreateNewProject.
  auto created = s.v1("POST", v1 + "/NewProject");
  {
    const element root = v1_answer(created, 200, "NewProjectResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Project"});
    const element& p = root.child("Project");
    // No ProjectNumber (mapping.md §4.4); no status ids outside list methods.
    check_attrs(p, {{"ProjectId", new_project},
                    {"ProgramId", program},
                    {"LastChangeTimestamp", any_timestamp},
                    {"Status", "Unsubmitted"},
                    {"StatusTimestamp", any_timestamp}});
    REQUIRE(p.child_names() == std::vector<std::string>{"Url", "Forms"});
    check_attrs(p.child("Url"), {{"Value", landing + new_project}});
    const auto forms = p.child("Forms").all("Form");
    REQUIRE(forms.size() == 2);
    check_attrs(*forms[0], {{"FormId", form},
                            {"CustomId", "InterconnectionApp"},
                            {"ProgramId", program},
                            {"Title", "Interconnection Application"}});  // Name -> Title
    const auto statuses = forms[0]->child("AvailableInStatuses").all("Status");
    REQUIRE(statuses.size() == 2);
    check_attrs(*statuses[0], {{"StatusId", "U5N0B1T2D3AA"}, {"Name", "Unsubmitted"}, {"Deleted", "false"}});
    check_attrs(*statuses[1], {{"StatusId", "NC0M9L3T4E5S"}, {"CustomId", "Incomplete"}, {"Name", "Incomplete"},
                               {"Deleted", "false"}});  // xs:boolean (issue 10 item 1)
    check_attrs(*forms[1], {{"FormId", "F0RM2E5F6G7H"},
                            {"CustomId", "Completion"},
                            {"ProgramId", program},
                            {"Title", "Completion Certificate"}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(api.size() == 1);
    CHECK(api[0]["method"] == "POST");
    CHECK(api[0]["target"] == v2 + "/NewProject");
    CHECK(api[0]["body"] == "");
  }

  // 2. SetProjectData (draft): dates in three V1 spellings, a Boolean, a multi-instance Date field.
  s.clear_sim_requests();
  const std::string fields =
      "<DataField DataFieldId=\"DF0CUSTNAME1\" Name=\"Customer name\" Value=\"Casey &amp; Kim\"/>"
      "<DataField DataFieldId=\"DF2SYSSIZE02\" Name=\"System size (kW)\" Value=\"7.5\"/>"
      "<DataField DataFieldId=\"DF4UTILITY04\" Name=\"Utility\" Value=\"City Light\"/>"
      "<DataField DataFieldId=\"DF5INSPDATE5\" Name=\"Inspection date\" Value=\"10/28/2024\"/>"
      "<DataField DataFieldId=\"DF1BATTERY01\" Name=\"Has battery\" Value=\"True\"/>"
      "<DataField DataFieldId=\"DF3DATES0003\" Name=\"Install dates\" Value=\"2024-10-28\" Instance=\"0\"/>"
      "<DataField DataFieldId=\"DF3DATES0003\" Name=\"Install dates\" Value=\"11/5/2024\" Instance=\"1\"/>"
      "<DataField DataFieldId=\"DF6PREFDATE6\" Name=\"Preferred install date\" Value=\"2024-01-02\"/>"
      "<DataField DataFieldId=\"DF7METERNO07\" Name=\"Meter number\" Value=\"MTR-77\"/>";
  auto set = s.v1("POST", v1 + data_path(new_project) + "/Data", data_request(new_project, fields));
  {
    const element root = v1_answer(set, 200, "ProjectDataSetResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Project"});
    check_new_project_data(root.child("Project"), "Unsubmitted", "true");
  }
  {
    // Instance writes read the current draft first (mapping.md §5): schema, draft, write.
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Forms/" + form + "/Schema",
                                                          "GET " + v2 + data_path(new_project) + "/Draft/Data",
                                                          "POST " + v2 + data_path(new_project) + "/Draft/Data"});
    auto write = s.sim_api_requests()[2];
    CHECK(write["headers"]["content-type"] == "application/json");
    CHECK(upstream_body(write) == json::parse(R"({"Project":{"DataFields":[
          {"DataFieldId":"DF0CUSTNAME1","Value":"Casey & Kim"},
          {"DataFieldId":"DF2SYSSIZE02","Value":"7.5"},
          {"DataFieldId":"DF4UTILITY04","Value":"City Light"},
          {"DataFieldId":"DF5INSPDATE5","Value":"2024-10-28"},
          {"DataFieldId":"DF1BATTERY01","Value":"true"},
          {"DataFieldId":"DF3DATES0003","Values":["2024-10-28","2024-11-05"]},
          {"DataFieldId":"DF6PREFDATE6","Value":"2024-01-02"},
          {"DataFieldId":"DF7METERNO07","Value":"MTR-77"}]}})"));
  }

  // 3. GetProjects: the new project in the list; its RequestTimestamp is the polling mark.
  s.clear_sim_requests();
  std::string mark;
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects"), 200, "ProjectsResponse");
    mark = root.attr("RequestTimestamp");
    check_attrs(root, {{"RequestTimestamp", any_timestamp}});
    REQUIRE(root.child_names() == std::vector<std::string>{"Projects"});
    CHECK(root.child("Projects").all("Project").size() == 4);
    const element* p = find_project(root.child("Projects"), new_project);
    REQUIRE(p != nullptr);
    check_list_project(*p, {{"ProjectId", new_project},
                            {"ProgramId", program},
                            {"LastChangeTimestamp", any_timestamp},
                            {"OwnerEmailAddress", client_email},
                            {"Status", "Unsubmitted"},
                            {"StatusTimestamp", any_timestamp},
                            {"StatusPublicId", "U5N0B1T2D3AA"}});  // Unsubmitted has no custom id
  }
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Projects"});

  // 4. GetProjectData: the draft back in V1 form; the schema comes from the cache.
  s.clear_sim_requests();
  {
    const element root = v1_answer(s.v1("GET", v1 + data_path(new_project) + "/Data"), 200, "ProjectDataGetResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Project"});
    check_new_project_data(root.child("Project"), "Unsubmitted", "true");
  }
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + data_path(new_project) + "/Draft/Data"});

  // 5. SubmitProject: number assigned, <Url> beside <Project> and inside it (issue 10 item 3).
  s.clear_sim_requests();
  {
    const element root = v1_answer(s.v1("POST", v1 + data_path(new_project) + "/Submit"), 200, "ProjectSubmitResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Project", "Url"});
    const element& p = root.child("Project");
    check_attrs(p, {{"ProjectId", new_project},
                    {"ProgramId", program},
                    {"ProjectNumber", "NM-00003"},
                    {"LastChangeTimestamp", any_timestamp},
                    {"Status", "Application Review"},
                    {"StatusTimestamp", any_timestamp}});
    REQUIRE(p.child_names() == std::vector<std::string>{"Url"});
    check_attrs(p.child("Url"), {{"Value", landing + new_project}});
    check_attrs(root.child("Url"), {{"Value", landing + new_project}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(api.size() == 1);
    CHECK(api[0]["method"] == "POST");
    CHECK(api[0]["target"] == v2 + data_path(new_project) + "/Draft/Submit");
    CHECK(api[0]["body"] == "");
  }

  // 6. GetProjects?changed_since=<previous RequestTimestamp> (and a bare date): only the new
  //    project changed since, with the full list attribute set whatever `version` says.
  const std::map<std::string, std::string> submitted_entry = {{"ProjectId", new_project},
                                                              {"ProgramId", program},
                                                              {"ProjectNumber", "NM-00003"},
                                                              {"LastChangeTimestamp", any_timestamp},
                                                              {"OwnerEmailAddress", client_email},
                                                              {"Status", "Application Review"},
                                                              {"StatusTimestamp", any_timestamp},
                                                              {"StatusCustomId", "AppReview"},
                                                              {"StatusPublicId", "ST8R1V6N3LQA"}};
  const std::vector<std::pair<std::string, std::string>> polls = {
      {mark, mark},                                  // RequestTimestamp fed back as is
      {since_date, since_date + "T00:00:00%2B00:00"},  // a bare date: midnight, default offset
  };
  for (const auto& [given, sent] : polls) {
    CAPTURE(given);
    s.clear_sim_requests();
    const element root = v1_answer(s.v1("GET", v1 + "/Projects?changed_since=" + given + "&version=1"), 200,
                                   "ProjectsResponse");
    check_attrs(root, {{"RequestTimestamp", any_timestamp}});
    REQUIRE(root.child_names() == std::vector<std::string>{"Projects"});
    const auto projects = root.child("Projects").all("Project");
    REQUIRE(projects.size() == 1);
    check_list_project(*projects[0], submitted_entry);
    CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Projects?changed_since=" + sent});
  }

  // 7. GetProjectStatusHistory: newest first, V1 attribute names.
  s.clear_sim_requests();
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects/" + new_project + "/StatusHistory?version=2"), 200,
                                   "ProjectStatusHistoryResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Project"});
    const element& p = root.child("Project");
    check_attrs(p, {{"ProjectId", new_project}, {"ProgramId", program}, {"ProjectNumber", "NM-00003"}});
    REQUIRE(p.child_names() == std::vector<std::string>{"StatusHistory"});
    const auto history = p.child("StatusHistory").all("Status");
    REQUIRE(history.size() == 2);
    check_attrs(*history[0], {{"StatusId", "ST8R1V6N3LQA"},
                              {"Name", "Application Review"},
                              {"ChangedBy", client_email},
                              {"Timestamp", any_timestamp}});
    check_attrs(*history[1], {{"StatusId", "U5N0B1T2D3AA"},
                              {"Name", "Unsubmitted"},
                              {"ChangedBy", client_email},
                              {"Timestamp", any_timestamp}});
    CHECK(history[0]->attr("Timestamp") >= history[1]->attr("Timestamp"));  // same offset: text order is time order
  }
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Projects/" + new_project + "/StatusHistory"});

  // The seed history carries a report-as name: V2 ReportAsChangedBy is V1 ReportAsLastChangedBy.
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects/" + approved_project + "/StatusHistory"), 200,
                                   "ProjectStatusHistoryResponse");
    const auto history = root.child("Project").child("StatusHistory").all("Status");
    REQUIRE(history.size() == 3);
    check_attrs(*history[0], {{"StatusId", "AP9R0V3D4XYZ"},
                              {"Name", "Approved"},
                              {"ChangedBy", "reviewer@example.com"},
                              {"ReportAsLastChangedBy", "Program Administrator"},
                              {"Timestamp", "2024-02-01T14:00:00-08:00"}});
    check_attrs(*history[2], {{"StatusId", "U5N0B1T2D3AA"},
                              {"Name", "Unsubmitted"},
                              {"ChangedBy", "owner@example.com"},
                              {"Timestamp", "2024-01-10T09:00:00-08:00"}});
  }
}

TEST_CASE("workflow: a partial multi-instance write reads the current draft, then sends the whole list") {
  stack s;
  const std::string path = v1 + data_path(draft_project) + "/Data";
  const std::string v2_draft = v2 + data_path(draft_project) + "/Draft/Data";

  // Even a 0..1 set reads the current draft first: it must never shorten a longer list.
  auto full = s.v1("POST", path,
                   data_request(draft_project,
                                "<DataField DataFieldId=\"DF3DATES0003\" Value=\"03/01/2024\" Instance=\"0\"/>"
                                "<DataField DataFieldId=\"DF3DATES0003\" Value=\"03/02/2024\" Instance=\"1\"/>"));
  v1_answer(full, 200, "ProjectDataSetResponse");
  REQUIRE(upstream_calls(s) ==
          std::vector<std::string>{"GET " + v2 + "/Forms/" + form + "/Schema", "GET " + v2_draft, "POST " + v2_draft});
  CHECK(upstream_body(s.sim_api_requests()[2]) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"DF3DATES0003","Values":["2024-03-01","2024-03-02"]}]}})"));

  // Only Instance="1": read the draft, patch index 1, send both.
  s.clear_sim_requests();
  auto partial = s.v1("POST", path,
                      data_request(draft_project,
                                   "<DataField DataFieldId=\"DF3DATES0003\" Name=\"Install dates\" Value=\"12/24/2024\" "
                                   "Instance=\"1\"/>"));
  {
    const element root = v1_answer(partial, 200, "ProjectDataSetResponse");
    const auto fields = root.child("Project").child("DataFields").all("DataField");
    std::vector<std::map<std::string, std::string>> dates;
    for (const auto* f : fields)
      if (f->attr("DataFieldId") == "DF3DATES0003") dates.push_back(f->attrs);
    CHECK(dates == std::vector<std::map<std::string, std::string>>{
                       {{"DataFieldId", "DF3DATES0003"}, {"Name", "Install dates"}, {"Value", "03/01/2024"}, {"Instance", "0"}},
                       {{"DataFieldId", "DF3DATES0003"}, {"Name", "Install dates"}, {"Value", "12/24/2024"}, {"Instance", "1"}}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"GET " + v2_draft, "POST " + v2_draft});
    CHECK(api[0]["body"] == "");
    CHECK(upstream_body(api[1]) ==
          json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"DF3DATES0003","Values":["2024-03-01","2024-12-24"]}]}})"));
  }
  // The access log counts both operations for that one V1 call.
  {
    const std::string out = s.proxy_output();
    const auto line_start = out.find("rid=" + partial.header("x-request-id"));
    REQUIRE(line_start != std::string::npos);
    const std::string line = out.substr(line_start, out.find('\n', line_start) - line_start);
    CHECK(line.find("upstream_calls=2") != std::string::npos);
  }

  // An index past the end: the gap is filled with empty instances.
  s.clear_sim_requests();
  auto extend = s.v1("POST", path,
                     data_request(draft_project, "<DataField DataFieldId=\"InstallDates\" Value=\"2025-01-15\" Instance=\"3\"/>"));
  v1_answer(extend, 200, "ProjectDataSetResponse");
  REQUIRE(upstream_calls(s) == std::vector<std::string>{"GET " + v2_draft, "POST " + v2_draft});
  CHECK(upstream_body(s.sim_api_requests()[1]) ==
        json::parse(R"({"Project":{"DataFields":[{"DataFieldId":"InstallDates","Values":["2024-03-01","2024-12-24","","2025-01-15"]}]}})"));

  // And the draft now reads back as four instances.
  const element root = v1_answer(s.v1("GET", path), 200, "ProjectDataGetResponse");
  std::vector<std::pair<std::string, std::string>> instances;
  for (const auto* f : root.child("Project").child("DataFields").all("DataField"))
    if (f->attr("DataFieldId") == "DF3DATES0003") instances.emplace_back(f->attr("Instance"), f->attr("Value"));
  CHECK(instances == std::vector<std::pair<std::string, std::string>>{
                         {"0", "03/01/2024"}, {"1", "12/24/2024"}, {"2", ""}, {"3", "01/15/2025"}});
}

TEST_CASE("workflow: SetProjectOwner and SetProjectStatus") {
  stack s;

  // SetProjectOwner: element text in, Owner attributes out.
  auto owner = s.v1("POST", v1 + "/Projects/" + draft_project + "/Owner",
                    "<SetProjectOwnerRequest " + v1_ns + "><OwnerEmail> installer@example.com </OwnerEmail></SetProjectOwnerRequest>");
  {
    const element root = v1_answer(owner, 200, "SetProjectOwnerResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Owner"});
    check_attrs(root.child("Owner"), {{"Name", "Sam Installer"}, {"Email", "installer@example.com"}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + "/Projects/" + draft_project + "/Owner"});
    CHECK(api[0]["headers"]["content-type"] == "application/json");
    CHECK(upstream_body(api[0]) == json::parse(R"({"OwnerEmail":"installer@example.com"})"));
  }
  {
    const element list = v1_answer(s.v1("GET", v1 + "/Projects"), 200, "ProjectsResponse");
    const element* p = find_project(list.child("Projects"), draft_project);
    REQUIRE(p != nullptr);
    CHECK(p->attr("OwnerEmailAddress") == "installer@example.com");
  }

  // SetProjectStatus: no body; <Status> and <Url> side by side under the root.
  s.clear_sim_requests();
  auto status = s.v1("POST", v1 + "/Projects/" + review_project + "/Status/AP9R0V3D4XYZ?AutoCommunication=false");
  {
    const element root = v1_answer(status, 200, "StatusSetResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"Status", "Url"});
    check_attrs(root.child("Status"), {{"StatusId", "AP9R0V3D4XYZ"},
                                       {"CustomId", "Approved"},
                                       {"Name", "Approved"},
                                       {"Timestamp", any_timestamp}});
    CHECK(root.child("Status").attr("Timestamp").find('.') == 19);  // fraction digits kept as V2 sent them
    check_attrs(root.child("Url"),
                {{"Value", "http://yourprogram.powerclerk.com/Projects/ProjectList?ProgramId=" + program}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + "/Projects/" + review_project +
                                                          "/Status/AP9R0V3D4XYZ?AutoCommunication=false"});
    CHECK(api[0]["body"] == "");
  }
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects/" + review_project + "/StatusHistory"), 200,
                                   "ProjectStatusHistoryResponse");
    const auto history = root.child("Project").child("StatusHistory").all("Status");
    REQUIRE(history.size() == 3);
    check_attrs(*history[0],
                {{"StatusId", "AP9R0V3D4XYZ"}, {"Name", "Approved"}, {"ChangedBy", client_email}, {"Timestamp", any_timestamp}});
    CHECK(history[1]->attr("Name") == "Application Review");
    CHECK(history[2]->attr("Name") == "Unsubmitted");
  }
}

TEST_CASE("workflow: attachment metadata read and written in V1 names") {
  stack s;
  const std::string path = "/Projects/" + approved_project + "/Attachments/";
  const std::map<std::string, std::string> seed = {{"AttachmentId", "AT1UTILBILL1"},
                                                   {"AttachmentName", "Utility Bill"},
                                                   {"FileName", "bill.pdf"},
                                                   {"FileSize", "35"},
                                                   {"ApprovalStatus", "Approved"},
                                                   {"Note", "Looks complete"},
                                                   {"UploadTimestamp", "2024-01-11T08:15:00-08:00"},
                                                   {"UploadedByEmailAddress", "owner@example.com"}};
  {
    const element root = v1_answer(s.v1("GET", v1 + path + "AT1UTILBILL1/Metadata"), 200, "AttachmentMetadataResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"AttachmentMetadata"});
    check_attrs(root.child("AttachmentMetadata"), seed);  // no UploadedById, no Uploader, no AttachmentStatus
    CHECK(root.child("AttachmentMetadata").children.empty());
  }
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + path + "AT1UTILBILL1/Metadata"});

  // SetAttachmentMetadata by custom id: Reject -> Rejected.
  s.clear_sim_requests();
  auto set = s.v1("POST", v1 + path + "UtilityBill/Metadata",
                  "<SetAttachmentMetadata " + v1_ns + " AttachmentStatus=\"Reject\" Note=\"Bill is unreadable\"/>");
  {
    const element root = v1_answer(set, 200, "AttachmentMetadataResponse");
    auto expected = seed;
    expected["ApprovalStatus"] = "Rejected";
    expected["Note"] = "Bill is unreadable";
    check_attrs(root.child("AttachmentMetadata"), expected);
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + path + "UtilityBill/Metadata"});
    CHECK(upstream_body(api[0]) == json::parse(R"({"AttachmentStatus":"Reject","Note":"Bill is unreadable"})"));
  }

  // An attachment without a file: V2's nulls are left out.
  const element empty = v1_answer(s.v1("GET", v1 + path + "AT2SITEPLAN2/Metadata"), 200, "AttachmentMetadataResponse");
  check_attrs(empty.child("AttachmentMetadata"), {{"AttachmentId", "AT2SITEPLAN2"}, {"AttachmentName", "Site Plan"}});
}

TEST_CASE("workflow: GetProjectsByNumber and GetProjectsByData") {
  stack s;
  const std::map<std::string, std::string> nm1 = {{"ProjectId", approved_project},
                                                  {"ProgramId", program},
                                                  {"ProjectNumber", "NM-00001"},
                                                  {"LastChangeTimestamp", "2024-02-01T14:00:00-08:00"},
                                                  {"OwnerEmailAddress", "owner@example.com"},
                                                  {"Status", "Approved"},
                                                  {"StatusTimestamp", "2024-02-01T14:00:00-08:00"},
                                                  {"StatusCustomId", "Approved"},
                                                  {"StatusPublicId", "AP9R0V3D4XYZ"}};
  const std::map<std::string, std::string> nm2 = {{"ProjectId", review_project},
                                                  {"ProgramId", program},
                                                  {"ProjectNumber", "NM-00002"},
                                                  {"LastChangeTimestamp", "2024-03-05T16:45:00-08:00"},
                                                  {"OwnerEmailAddress", "installer@example.com"},
                                                  {"Status", "Application Review"},
                                                  {"StatusTimestamp", "2024-03-05T16:45:00-08:00"},
                                                  {"StatusCustomId", "AppReview"},
                                                  {"StatusPublicId", "ST8R1V6N3LQA"}};

  auto by_number = s.v1("POST", v1 + "/Projects/ByNumber?version=2",
                        "<ProjectByNumberRequest " + v1_ns + "><ProjectNumbers><ProjectNumber>NM-00002</ProjectNumber>"
                        "<ProjectNumber>NM-00001</ProjectNumber></ProjectNumbers></ProjectByNumberRequest>");
  {
    const element root = v1_answer(by_number, 200, "ProjectsResponse");
    check_attrs(root, {{"RequestTimestamp", any_timestamp}});
    const auto projects = root.child("Projects").all("Project");
    REQUIRE(projects.size() == 2);
    check_list_project(*projects[0], nm2);
    check_list_project(*projects[1], nm1);
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + "/Projects/ByNumber"});
    CHECK(upstream_body(api[0]) == json::parse(R"({"ProjectNumbers":["NM-00002","NM-00001"]})"));
  }

  // ByData: a Date field's Content in MM/dd/yyyy goes upstream as yyyy-MM-dd.
  s.clear_sim_requests();
  auto by_date = s.v1("POST", v1 + "/Projects/ByData",
                      "<ProjectByDataRequest " + v1_ns + "><DataFields>"
                      "<Field Id=\"InspectionDate\" Content=\"03/15/2024\" Operator=\"lt\"/>"
                      "</DataFields></ProjectByDataRequest>");
  {
    const element root = v1_answer(by_date, 200, "ProjectsResponse");
    const auto projects = root.child("Projects").all("Project");
    REQUIRE(projects.size() == 1);  // NM-00001 was inspected on 2024-01-30; NM-00002 has no date
    check_list_project(*projects[0], nm1);
  }
  {
    // The program's form schemas type Content (fetched once, cached), then the query itself.
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Forms", "GET " + v2 + "/Forms/" + form + "/Schema",
                                                          "GET " + v2 + "/Forms/F0RM2E5F6G7H/Schema",
                                                          "POST " + v2 + "/Projects/ByData"});
    CHECK(upstream_body(api[3]) ==
          json::parse(R"({"DataFields":[{"Id":"InspectionDate","Content":"2024-03-15","Operator":"lt"}]})"));
  }

  // Status filter (one Status still becomes a list) plus a multi-instance date in M/d/yyyy.
  s.clear_sim_requests();
  auto filtered = s.v1("POST", v1 + "/Projects/ByData?version=2",
                       "<ProjectByDataRequest " + v1_ns + "><FilterByCurrentStatuses Operation=\"Exclude\">"
                       "<Status Id=\"AppReview\"/></FilterByCurrentStatuses><DataFields>"
                       "<Field Id=\"DF3DATES0003\" Content=\"2/14/2024\" Operator=\"eq\"/>"
                       "</DataFields></ProjectByDataRequest>");
  {
    const element root = v1_answer(filtered, 200, "ProjectsResponse");
    const auto projects = root.child("Projects").all("Project");
    REQUIRE(projects.size() == 1);
    check_list_project(*projects[0], nm1);
  }
  CHECK(upstream_body(s.sim_api_requests()[0]) ==
        json::parse(R"({"FilterByCurrentStatuses":{"Operation":"Exclude","Status":[{"Id":"AppReview"}]},
                        "DataFields":[{"Id":"DF3DATES0003","Content":"2024-02-14","Operator":"eq"}]})"));

  // Nothing matches: an empty list, still in V1 shape.
  const element none = v1_answer(
      s.v1("POST", v1 + "/Projects/ByData",
           "<ProjectByDataRequest " + v1_ns + "><DataFields><Field Id=\"MeterNo\" Content=\"NO-SUCH\" Operator=\"eq\"/>"
           "</DataFields></ProjectByDataRequest>"),
      200, "ProjectsResponse");
  REQUIRE(none.child_names() == std::vector<std::string>{"Projects"});
  CHECK(none.child("Projects").children.empty());
}

TEST_CASE("workflow: inquiry threads and notes: MM/dd/yyyy dates, IsAdmin True/False") {
  stack s;
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects/" + review_project + "/InquiryThreads"), 200,
                                   "InquiryThreadsResponse");
    CHECK(root.attrs.empty());
    REQUIRE(root.child_names() == std::vector<std::string>{"InquiryThreads"});
    const auto threads = root.child("InquiryThreads").all("InquiryThread");
    REQUIRE(threads.size() == 1);
    check_attrs(*threads[0], {{"ThreadId", "THR1A2B3C4D5"},
                              {"ProjectId", review_project},
                              {"Subject", "Missing utility bill"},
                              {"Status", "Open"},
                              {"CreatedBy", "reviewer@example.com"},
                              {"CreatedDate", "03/06/2024"},
                              {"LastNoteDate", "03/07/2024"}});
  }
  {
    const element root = v1_answer(s.v1("GET", v1 + "/Projects/" + approved_project + "/InquiryThreads"), 200,
                                   "InquiryThreadsResponse");
    const auto threads = root.child("InquiryThreads").all("InquiryThread");
    REQUIRE(threads.size() == 1);
    check_attrs(*threads[0], {{"ThreadId", "THR6F7G8H9J0"},
                              {"ProjectId", approved_project},
                              {"ExternalId", "EXT-42"},
                              {"Subject", "Meter location"},
                              {"Status", "Closed"},
                              {"CreatedBy", "reviewer@example.com"},
                              {"CreatedDate", "01/15/2024"},
                              {"LastNoteDate", "01/15/2024"}});
  }
  {
    const element root = v1_answer(s.v1("GET", v1 + "/InquiryThreads/THR1A2B3C4D5/Notes"), 200, "InquiryNotesResponse");
    REQUIRE(root.child_names() == std::vector<std::string>{"Notes"});
    const auto notes = root.child("Notes").all("Note");
    REQUIRE(notes.size() == 2);
    check_attrs(*notes[0], {{"NoteId", "NTE1A2B3C4D5"},
                            {"ThreadId", "THR1A2B3C4D5"},
                            {"Text", "Please upload the utility bill."},
                            {"CreatedBy", "reviewer@example.com"},
                            {"IsAdmin", "True"},
                            {"CreatedDate", "03/06/2024"}});
    check_attrs(*notes[1], {{"NoteId", "NTE2E3F4G5H6"},
                            {"ThreadId", "THR1A2B3C4D5"},
                            {"Text", "Uploading it this week."},
                            {"CreatedBy", "installer@example.com"},
                            {"IsAdmin", "False"},
                            {"CreatedDate", "03/07/2024"}});
  }
  CHECK(upstream_calls(s) ==
        std::vector<std::string>{"GET " + v2 + "/Projects/" + review_project + "/InquiryThreads",
                                 "GET " + v2 + "/Projects/" + approved_project + "/InquiryThreads",
                                 "GET " + v2 + "/InquiryThreads/THR1A2B3C4D5/Notes"});

  // SetInquiryNote: generic XML -> JSON; the answer's date is today's (simulator at -08:00).
  s.clear_sim_requests();
  const std::string before = utc_date_today(std::chrono::hours(-8));
  auto note = s.v1("POST", v1 + "/Projects/" + review_project + "/SetInquiryNote",
                   "<SetInquiryNoteRequest " + v1_ns + " ThreadId=\"THR1A2B3C4D5\"><Text>Received, thanks.</Text>"
                   "</SetInquiryNoteRequest>");
  const std::string after = utc_date_today(std::chrono::hours(-8));
  {
    const element root = v1_answer(note, 200, "InquiryNoteResponse");
    REQUIRE(root.child_names() == std::vector<std::string>{"Note"});
    const element& n = root.child("Note");
    auto v1_date = [](const std::string& iso) { return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(0, 4); };
    const std::string date = n.attr("CreatedDate");
    CHECK((date == v1_date(before) || date == v1_date(after)));
    check_attrs(n, {{"NoteId", "NTE000000001"},
                    {"ThreadId", "THR1A2B3C4D5"},
                    {"Text", "Received, thanks."},
                    {"CreatedBy", client_email},
                    {"IsAdmin", "True"},
                    {"CreatedDate", date}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) ==
            std::vector<std::string>{"POST " + v2 + "/Projects/" + review_project + "/SetInquiryNote"});
    CHECK(upstream_body(api[0]) == json::parse(R"({"ThreadId":"THR1A2B3C4D5","Text":"Received, thanks."})"));
  }

  // Thread status and external id: no body either way; InquiryThreadResponse.
  s.clear_sim_requests();
  {
    const element root = v1_answer(s.v1("POST", v1 + "/InquiryThreads/THR1A2B3C4D5/Status/Closed"), 200,
                                   "InquiryThreadResponse");
    REQUIRE(root.child_names() == std::vector<std::string>{"InquiryThread"});
    CHECK(root.child("InquiryThread").attr("Status") == "Closed");
    CHECK(root.child("InquiryThread").attr("CreatedDate") == "03/06/2024");
  }
  {
    const element root = v1_answer(s.v1("POST", v1 + "/InquiryThreads/THR1A2B3C4D5/ExternalId/CRM-7"), 200,
                                   "InquiryThreadResponse");
    check_attrs(root.child("InquiryThread"), {{"ThreadId", "THR1A2B3C4D5"},
                                              {"ProjectId", review_project},
                                              {"ExternalId", "CRM-7"},
                                              {"Subject", "Missing utility bill"},
                                              {"Status", "Closed"},
                                              {"CreatedBy", "reviewer@example.com"},
                                              {"CreatedDate", "03/06/2024"},
                                              {"LastNoteDate", root.child("InquiryThread").attr("LastNoteDate")}});
  }
  {
    auto api = s.sim_api_requests();
    REQUIRE(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + "/InquiryThreads/THR1A2B3C4D5/Status/Closed",
                                                          "POST " + v2 + "/InquiryThreads/THR1A2B3C4D5/ExternalId/CRM-7"});
    CHECK(api[0]["body"] == "");
    CHECK(api[1]["body"] == "");
  }
}

TEST_CASE("workflow: upstream 409 and 400 come back as V1 errors with status and message") {
  stack s;

  // 409: the form is closed in the project's status.
  auto closed = s.v1("POST", v1 + data_path(approved_project) + "/Data",
                     data_request(approved_project, "<DataField DataFieldId=\"DF7METERNO07\" Value=\"MTR-9\"/>"));
  check_v1_error(closed, 409, "upstream: Form F0RM1A2B3C4D cannot be edited in status Approved");
  CHECK(upstream_calls(s).back() == "POST " + v2 + data_path(approved_project) + "/Draft/Data");

  // 409: not a valid next status.
  s.clear_sim_requests();
  auto bad_status = s.v1("POST", v1 + "/Projects/" + review_project + "/Status/U5N0B1T2D3AA");
  check_v1_error(bad_status, 409, "upstream: Status Unsubmitted is not a valid next status after Application Review");
  CHECK(upstream_calls(s) ==
        std::vector<std::string>{"POST " + v2 + "/Projects/" + review_project + "/Status/U5N0B1T2D3AA"});

  // 400: submitting an incomplete draft (a write: tried once, never retried).
  s.clear_sim_requests();
  REQUIRE(s.v1("POST", v1 + "/NewProject").status == 200);
  s.clear_sim_requests();
  auto incomplete = s.v1("POST", v1 + data_path(new_project) + "/Submit");
  check_v1_error(incomplete, 400, "upstream: Form is not complete; missing: CustomerName, SystemSizeKw, Utility");
  CHECK(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + data_path(new_project) + "/Draft/Submit"});

  // 400 from upstream on a value V2 refuses (a Choice outside its list).
  s.clear_sim_requests();
  auto bad_choice = s.v1("POST", v1 + data_path(new_project) + "/Data",
                         data_request(new_project, "<DataField DataFieldId=\"DF4UTILITY04\" Value=\"Moon Power\"/>"));
  const element e = v1_answer(bad_choice, 400, "Error");
  CHECK(e.attr("Message").rfind("upstream: ", 0) == 0);
  CHECK(e.attr("Message").find("Moon Power") != std::string::npos);
  CHECK(upstream_calls(s).back() == "POST " + v2 + data_path(new_project) + "/Draft/Data");
}
