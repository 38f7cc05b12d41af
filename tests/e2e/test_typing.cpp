// End-to-end: type-aware value conversion (mapping.md §3) through the real proxy. The form
// schema decides which values are Date or Boolean; without a schema (GetAllProjectData spans
// forms) exact patterns decide, and each such value is counted in the metrics.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;

namespace {

const std::string v1_namespace = "http://service.powerclerk.com/api/v1/";

namespace pt = boost::property_tree;

// One <DataField> of a V1 data answer, as (id, value, instance); "(absent)" for a missing attribute.
struct field_row {
  std::string id, value, instance;
  bool operator==(const field_row&) const = default;
};

std::string attr_or_absent(const pt::ptree& attrs, const std::string& name) {
  const auto v = attrs.get_optional<std::string>(name);
  return v ? *v : std::string("(absent)");
}

// Parses a V1 data answer (root `root_name` in the V1 namespace, one Project) and lists its DataFields.
std::vector<field_row> data_fields(const reply& r, const std::string& root_name) {
  CAPTURE(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  pt::ptree tree;
  std::istringstream in(r.body);
  try {
    pt::read_xml(in, tree, pt::xml_parser::trim_whitespace | pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    FAIL("V1 answer is not well-formed XML: " << e.what());
  }
  REQUIRE(tree.size() == 1);
  REQUIRE(tree.begin()->first == root_name);
  const pt::ptree& root = tree.begin()->second;
  CHECK(root.get<std::string>("<xmlattr>.xmlns", "") == v1_namespace);
  std::vector<field_row> rows;
  for (const auto& [name, field] : root.get_child("Project.DataFields")) {
    REQUIRE(name == "DataField");
    const pt::ptree& attrs = field.get_child("<xmlattr>");
    CHECK_FALSE(attrs.get_optional<std::string>("CustomId"));
    rows.push_back({attr_or_absent(attrs, "DataFieldId"), attr_or_absent(attrs, "Value"), attr_or_absent(attrs, "Instance")});
  }
  return rows;
}

std::string value_of(const std::vector<field_row>& rows, const std::string& id) {
  std::string out;
  for (const auto& r : rows)
    if (r.id == id) out += (out.empty() ? "" : "|") + r.value;
  return out;
}

std::vector<std::string> upstream_calls(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_api_requests())
    out.push_back(r["method"].get<std::string>() + " " + r["target"].get<std::string>());
  return out;
}

std::string data_path(const std::string& project) { return "/Projects/" + project + "/Forms/" + form; }

// A loopback port that was free a moment ago (for the admin listener, which has no port file).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The value of an unlabelled Prometheus counter, -1 when absent.
long counter(const std::string& metrics, const std::string& name) {
  const std::regex re("(^|\n)" + name + " ([0-9]+)");
  std::smatch m;
  return std::regex_search(metrics, m, re) ? std::stol(m[2]) : -1;
}

}  // namespace

TEST_CASE("typing: GetProjectData converts Date and Boolean fields only; a Text field holding a date stays as is") {
  stack s;
  auto r = s.v1("GET", v1 + data_path(approved_project) + "/Data");
  const auto rows = data_fields(r, "ProjectDataGetResponse");
  CHECK(rows == std::vector<field_row>{
                    {"DF0CUSTNAME1", "Alex Rivera", "(absent)"},
                    {"DF1BATTERY01", "False", "(absent)"},           // Boolean "false"
                    {"DF2SYSSIZE02", "7.6", "(absent)"},             // Number: untouched
                    {"DF3DATES0003", "02/14/2024", "0"},             // Date, multi-instance
                    {"DF3DATES0003", "", "1"},                       // an empty instance stays empty
                    {"DF4UTILITY04", "Pacific Power", "(absent)"},
                    {"DF5INSPDATE5", "01/30/2024", "(absent)"},      // Date "2024-01-30"
                    {"DF6PREFDATE6", "2024-01-02", "(absent)"},      // Text that looks like a date
                    {"DF7METERNO07", "MTR-1001", "(absent)"},
                    {"DF8ACCOUNT08", "********", "(absent)"},
                    {"DF9INVERTER9", "Enphase", "0"},
                    {"DF9INVERTER9", "Other", "1"},
                });

  // Another project of the same form: Boolean "true" -> True; the schema is not fetched again.
  auto other = s.v1("GET", v1 + data_path(review_project) + "/Data");
  const auto other_rows = data_fields(other, "ProjectDataGetResponse");
  CHECK(value_of(other_rows, "DF1BATTERY01") == "True");
  CHECK(value_of(other_rows, "DF3DATES0003") == "04/01/2024");
  CHECK(value_of(other_rows, "DF6PREFDATE6") == "early April");
}

TEST_CASE("typing: the form schema is one upstream operation, fetched once and then cached") {
  stack s;
  REQUIRE(s.v1("GET", v1 + data_path(approved_project) + "/Data").status == 200);
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Forms/" + form + "/Schema",
                                                      "GET " + v2 + data_path(approved_project) + "/Draft/Data"});
  CHECK(s.sim_stats()["operations"][sim_api_key] == 2);

  s.clear_sim_requests();
  REQUIRE(s.v1("GET", v1 + data_path(approved_project) + "/Data").status == 200);
  REQUIRE(s.v1("GET", v1 + data_path(review_project) + "/Data").status == 200);
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + data_path(approved_project) + "/Draft/Data",
                                                      "GET " + v2 + data_path(review_project) + "/Draft/Data"});
  CHECK(s.sim_stats()["operations"][sim_api_key] == 4);

  // SetProjectData on the same form uses the same cached schema.
  s.clear_sim_requests();
  auto set = s.v1("POST", v1 + data_path(draft_project) + "/Data",
                  "<ProjectDataRequest xmlns=\"" + v1_namespace + "\"><Project><DataFields>"
                  "<DataField DataFieldId=\"DF1BATTERY01\" Value=\"False\"/></DataFields></Project></ProjectDataRequest>");
  REQUIRE(set.status == 200);
  CHECK(upstream_calls(s) == std::vector<std::string>{"POST " + v2 + data_path(draft_project) + "/Draft/Data"});
}

TEST_CASE("typing: with the form's schema cached, SetProjectData is translated typed at once; the V2 body is the same") {
  stack s;
  REQUIRE(s.v1("GET", v1 + data_path(approved_project) + "/Data").status == 200);  // caches the form's schema
  const std::string body =
      "<ProjectDataRequest xmlns=\"" + v1_namespace + "\"><Project><DataFields>"
      "<DataField DataFieldId=\"DF6PREFDATE6\" Value=\"10/28/2024\"/>"   // Text: stays
      "<DataField DataFieldId=\"DF5INSPDATE5\" Value=\"3/2/2024\"/>"     // Date
      "<DataField DataFieldId=\"DF1BATTERY01\" Value=\"TRUE\"/>"         // Boolean, any case
      "<DataField DataFieldId=\"DF3DATES0003\" Value=\"03/04/2024\" Instance=\"1\"/>"  // a Date instance: patched
      "</DataFields></Project></ProjectDataRequest>";
  // With the schema in the cache the typed translation is the first and only one (pipeline.cpp,
  // cached_field_types); with Cache-Control: no-cache the schema is fetched and the body is
  // translated untyped first, then typed. Both must send the same bytes.
  std::vector<std::string> sent;
  for (const bool bypass : {false, true}) {
    CAPTURE(bypass);
    s.clear_sim_requests();
    header_list headers;
    if (bypass) headers.emplace_back("Cache-Control", "no-cache");
    REQUIRE(s.v1("POST", v1 + data_path(draft_project) + "/Data", body, headers).status == 200);
    std::vector<std::string> expected_calls = {"GET " + v2 + data_path(draft_project) + "/Draft/Data",
                                               "POST " + v2 + data_path(draft_project) + "/Draft/Data"};
    if (bypass) expected_calls.insert(expected_calls.begin(), "GET " + v2 + "/Forms/" + form + "/Schema");
    REQUIRE(upstream_calls(s) == expected_calls);
    sent.push_back(s.sim_api_requests().back()["body"].get<std::string>());
  }
  CHECK(sent[0] == sent[1]);
  const json written = json::parse(sent[0]);
  const json& fields = written["Project"]["DataFields"];
  REQUIRE(fields.size() == 4);
  CHECK(fields[0] == json::parse(R"({"DataFieldId":"DF6PREFDATE6","Value":"10/28/2024"})"));
  CHECK(fields[1] == json::parse(R"({"DataFieldId":"DF5INSPDATE5","Value":"2024-03-02"})"));
  CHECK(fields[2] == json::parse(R"({"DataFieldId":"DF1BATTERY01","Value":"true"})"));
  CHECK(fields[3]["DataFieldId"] == "DF3DATES0003");
  REQUIRE(fields[3]["Values"].size() >= 2);
  CHECK(fields[3]["Values"][1] == "2024-03-04");
}

TEST_CASE("typing: SetProjectData converts by field type in both directions; Text values are sent verbatim") {
  stack s;
  const std::string body =
      "<ProjectDataRequest xmlns=\"" + v1_namespace + "\"><Project ProjectId=\"" + draft_project + "\" FormId=\"" +
      form + "\"><DataFields>"
      "<DataField DataFieldId=\"DF6PREFDATE6\" Value=\"10/28/2024\"/>"  // Text: a date-looking string stays
      "<DataField DataFieldId=\"DF7METERNO07\" Value=\"True\"/>"        // Text: a boolean-looking string stays
      "<DataField DataFieldId=\"InspectionDate\" Value=\"10/28/2024\"/>"  // Date, by custom id
      "<DataField DataFieldId=\"DF1BATTERY01\" Value=\"false\"/>"       // Boolean, any case in V1
      "</DataFields></Project></ProjectDataRequest>";
  auto r = s.v1("POST", v1 + data_path(draft_project) + "/Data", body);
  const auto rows = data_fields(r, "ProjectDataSetResponse");
  CHECK(value_of(rows, "DF6PREFDATE6") == "10/28/2024");
  CHECK(value_of(rows, "DF7METERNO07") == "True");
  CHECK(value_of(rows, "DF5INSPDATE5") == "10/28/2024");
  CHECK(value_of(rows, "DF1BATTERY01") == "False");

  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 2);
  CHECK(api[0]["target"] == v2 + "/Forms/" + form + "/Schema");
  CHECK(json::parse(api[1]["body"].get<std::string>()) == json::parse(R"({"Project":{"DataFields":[
        {"DataFieldId":"DF6PREFDATE6","Value":"10/28/2024"},
        {"DataFieldId":"DF7METERNO07","Value":"True"},
        {"DataFieldId":"InspectionDate","Value":"2024-10-28"},
        {"DataFieldId":"DF1BATTERY01","Value":"false"}]}})"));

  // A Date field given something that is not a date: 400 from pcbridge, nothing written.
  s.clear_sim_requests();
  auto bad = s.v1("POST", v1 + data_path(draft_project) + "/Data",
                  "<ProjectDataRequest xmlns=\"" + v1_namespace + "\"><Project><DataFields>"
                  "<DataField DataFieldId=\"DF5INSPDATE5\" Value=\"next Tuesday\"/></DataFields></Project></ProjectDataRequest>");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("DF5INSPDATE5") != std::string::npos);
  for (const auto& call : upstream_calls(s)) CHECK(call.rfind("POST ", 0) != 0);
}

TEST_CASE("typing: GetAllProjectData is typed by the program's form schemas; without any, by pattern, counted") {
  const int admin_port = free_port();
  stack_options o;
  o.extra_config = "admin: { address: 127.0.0.1, port: " + std::to_string(admin_port) + " }\n";
  stack s(o);

  const std::vector<field_row> typed_rows{
      {"DF0CUSTNAME1", "Alex Rivera", "(absent)"},
      {"DF1BATTERY01", "False", "(absent)"},
      {"DF2SYSSIZE02", "7.6", "(absent)"},
      {"DF3DATES0003", "02/14/2024", "0"},
      {"DF3DATES0003", "", "1"},
      {"DF4UTILITY04", "Pacific Power", "(absent)"},
      {"DF5INSPDATE5", "01/30/2024", "(absent)"},
      {"DF6PREFDATE6", "2024-01-02", "(absent)"},  // Text that looks like a date: unchanged
      {"DF7METERNO07", "MTR-1001", "(absent)"},
      {"DF8ACCOUNT08", "********", "(absent)"},
      {"DF9INVERTER9", "Enphase", "0"},
      {"DF9INVERTER9", "Other", "1"},
  };
  auto r = s.v1("GET", v1 + "/Projects/" + approved_project + "/Data");
  CHECK(data_fields(r, "ProjectDataGetResponse") == typed_rows);
  // GetForms, each form's schema, then the data.
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Forms", "GET " + v2 + "/Forms/" + form + "/Schema",
                                                      "GET " + v2 + "/Forms/F0RM2E5F6G7H/Schema",
                                                      "GET " + v2 + "/Projects/" + approved_project + "/Data"});
  auto metrics = send(admin_port, "GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(counter(metrics.body, "pcbridge_value_typing_fallbacks_total") <= 0);

  // No schema can be had (GetForms fails): exact patterns decide, and each such value is counted.
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Forms","method":"GET","status":500,"count":10})").status == 200);
  auto fallback = s.v1("GET", v1 + "/Projects/" + approved_project + "/Data", {}, {{"Cache-Control", "no-cache"}});
  std::vector<field_row> pattern_rows = typed_rows;
  pattern_rows[7].value = "01/02/2024";  // the documented cost of the fallback
  CHECK(data_fields(fallback, "ProjectDataGetResponse") == pattern_rows);
  // Four values were typed by pattern (false, 2024-02-14, 2024-01-30, 2024-01-02).
  CHECK(counter(send(admin_port, "GET", "/metrics").body, "pcbridge_value_typing_fallbacks_total") == 4);
}
