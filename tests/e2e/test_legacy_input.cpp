// End-to-end: V1 requests as legacy (.NET) clients wrote them (issue 10 items 4-7, mapping.md
// §3 and §5): instance writes never lose instances, dates in every .NET shape, and values of
// methods that span forms typed by the program's form schemas.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;

namespace {

const std::string ns = "http://service.powerclerk.com/api/v1/";
const std::string form2 = "F0RM2E5F6G7H";

std::string data_path(const std::string& project, const std::string& f = form) {
  return "/Projects/" + project + "/Forms/" + f + "/Data";
}

std::string set_body(const std::string& fields) {
  return "<ProjectDataRequest xmlns=\"" + ns + "\"><Project><DataFields>" + fields +
         "</DataFields></Project></ProjectDataRequest>";
}

std::vector<std::string> upstream_calls(const stack& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sim_api_requests()) out.push_back(r["method"].get<std::string>() + " " + r["target"].get<std::string>());
  return out;
}

// The JSON body of the last POST the simulator received.
json last_post_body(const stack& s) {
  json last;
  for (const auto& r : s.sim_api_requests())
    if (r["method"] == "POST") last = json::parse(r["body"].get<std::string>());
  return last;
}

// The draft's instances of one field, in order, as the V1 GetProjectData answer lists them.
json draft_values(const stack& s, const std::string& project, const std::string& field) {
  auto r = s.v1("GET", v1 + data_path(project));
  REQUIRE(r.status == 200);
  json values = json::array();
  const std::regex re("<DataField DataFieldId=\"" + field + "\"[^>]*?Value=\"([^\"]*)\"[^>]*?Instance=\"([0-9]+)\"");
  for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), re); it != std::sregex_iterator(); ++it)
    values.push_back((*it)[1].str());
  return values;
}

// The Value of each DataField of a V1 data answer, by id (instances joined with '|').
std::string value_of(const std::string& body, const std::string& id) {
  const std::regex re("<DataField DataFieldId=\"" + id + "\"[^>]*?Value=\"([^\"]*)\"");
  std::string out;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), re); it != std::sregex_iterator(); ++it)
    out += (out.empty() ? "" : "|") + (*it)[1].str();
  return out;
}

long metric(const stack& s, const std::string& name) {
  const std::string m = s.admin_get("/metrics").body;
  const std::regex re("(^|\n)" + name + " ([0-9]+)");
  std::smatch match;
  return std::regex_search(m, match, re) ? std::stol(match[2]) : -1;
}

}  // namespace

TEST_CASE("legacy input: writing Instance 0 of a 3-instance field keeps instances 1 and 2") {
  stack s;
  const std::string target = v1 + data_path(draft_project);
  // Three instances, written as V1 did: one DataField per instance.
  REQUIRE(s.v1("POST", target,
               set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Acme\" Instance=\"0\"/>"
                        "<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Enphase\" Instance=\"1\"/>"
                        "<DataField DataFieldId=\"DF9INVERTER9\" Value=\"SolarEdge\" Instance=\"2\"/>"))
              .status == 200);
  CHECK(draft_values(s, draft_project, "DF9INVERTER9") == json({"Acme", "Enphase", "SolarEdge"}));

  // Instance 0 alone: the current draft is read, only index 0 changes, the whole list is sent.
  s.clear_sim_requests();
  auto r = s.v1("POST", target, set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Other\" Instance=\"0\"/>"));
  CAPTURE(r.body);
  REQUIRE(r.status == 200);
  const std::string draft = v2 + "/Projects/" + draft_project + "/Forms/" + form + "/Draft/Data";
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + draft, "POST " + draft});
  CHECK(last_post_body(s) == json::parse(R"({"Project":{"DataFields":[
      {"DataFieldId":"DF9INVERTER9","Values":["Other","Enphase","SolarEdge"]}]}})"));
  // The answer and a later read both show instances 1 and 2 intact.
  CHECK(value_of(r.body, "DF9INVERTER9") == "Other|Enphase|SolarEdge");
  CHECK(draft_values(s, draft_project, "DF9INVERTER9") == json({"Other", "Enphase", "SolarEdge"}));

  // Index 3 of a 3-instance field appends.
  REQUIRE(s.v1("POST", target, set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Acme\" Instance=\"3\"/>"))
              .status == 200);
  CHECK(draft_values(s, draft_project, "DF9INVERTER9") == json({"Other", "Enphase", "SolarEdge", "Acme"}));

  // A gap (index 5 of 4): the missing instance 4 is an empty instance (v2-api.md §2.8).
  s.clear_sim_requests();
  REQUIRE(s.v1("POST", target, set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Enphase\" Instance=\"5\"/>"))
              .status == 200);
  CHECK(last_post_body(s) == json::parse(R"({"Project":{"DataFields":[
      {"DataFieldId":"DF9INVERTER9","Values":["Other","Enphase","SolarEdge","Acme","","Enphase"]}]}})"));

  // A multi-instance field (per the form schema) sent without an index is instance 0.
  s.clear_sim_requests();
  REQUIRE(s.v1("POST", target, set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"SolarEdge\"/>")).status == 200);
  CHECK(last_post_body(s) == json::parse(R"({"Project":{"DataFields":[
      {"DataFieldId":"DF9INVERTER9","Values":["SolarEdge","Enphase","SolarEdge","Acme","","Enphase"]}]}})"));
}

TEST_CASE("legacy input: .NET date shapes are accepted end to end (SetProjectData, ByData Content, changed_since)") {
  stack s;
  // SetProjectData: DateTime.ToString() of a Date field, and a date-time in a multi-instance Date.
  auto set = s.v1("POST", v1 + data_path(draft_project),
                  set_body("<DataField DataFieldId=\"DF5INSPDATE5\" Value=\"10/28/2014 12:00:00 AM\"/>"
                           "<DataField DataFieldId=\"InstallDates\" Value=\"2014-10-29T00:00:00.0000000-07:00\" Instance=\"0\"/>"
                           "<DataField DataFieldId=\"DF6PREFDATE6\" Value=\"10/28/2014 12:00:00 AM\"/>"));
  CAPTURE(set.body);
  REQUIRE(set.status == 200);
  CHECK(last_post_body(s) == json::parse(R"({"Project":{"DataFields":[
      {"DataFieldId":"DF5INSPDATE5","Value":"2014-10-28"},
      {"DataFieldId":"InstallDates","Values":["2014-10-29"]},
      {"DataFieldId":"DF6PREFDATE6","Value":"10/28/2014 12:00:00 AM"}]}})"));
  CHECK(value_of(set.body, "DF5INSPDATE5") == "10/28/2014");
  CHECK(value_of(set.body, "DF3DATES0003") == "10/29/2014");

  // Not a date at all: 400 naming the field, nothing written.
  s.clear_sim_requests();
  auto bad = s.v1("POST", v1 + data_path(draft_project),
                  set_body("<DataField DataFieldId=\"DF5INSPDATE5\" Value=\"28.10.2014\"/>"));
  CHECK(bad.status == 400);
  CHECK(bad.body.find("DF5INSPDATE5") != std::string::npos);
  for (const auto& call : upstream_calls(s)) CHECK(call.rfind("POST ", 0) != 0);

  // ByData: a Date field's Content in the invariant "G" shape finds the approved project
  // (Install dates 2024-02-14).
  s.clear_sim_requests();
  auto by_data = s.v1("POST", v1 + "/Projects/ByData",
                      "<ProjectByDataRequest xmlns=\"" + ns + "\"><DataFields>"
                      "<Field Id=\"InstallDates\" Content=\"2/14/2024 00:00:00\" Operator=\"eq\"/>"
                      "</DataFields></ProjectByDataRequest>");
  CAPTURE(by_data.body);
  REQUIRE(by_data.status == 200);
  CHECK(by_data.body.find("PRJ7K2M9Q4XZ") != std::string::npos);
  CHECK(last_post_body(s) == json::parse(R"({"DataFields":[{"Id":"InstallDates","Content":"2024-02-14","Operator":"eq"}]})"));

  // changed_since as a .NET client form-encodes DateTime.ToString(): spaces as '+'.
  s.clear_sim_requests();
  auto list = s.v1("GET", v1 + "/Projects?changed_since=3/1/2024+12:00:00+AM");
  CAPTURE(list.body);
  REQUIRE(list.status == 200);
  const auto calls = upstream_calls(s);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == "GET " + v2 + "/Projects?changed_since=2024-03-01T00:00:00%2B00:00");
  CHECK(list.body.find("PRJ5S6U7B8M9") != std::string::npos);   // changed 2024-03-05
  CHECK(list.body.find("PRJ7K2M9Q4XZ") == std::string::npos);   // last changed 2024-02-01
}

TEST_CASE("legacy input: GetAllProjectData types by the program's form schemas: Text 01/02/2024 and true stay, Date converts") {
  stack_options o;
  o.admin = true;
  stack s(o);
  // An admin writes submitted values (the admin route): Text fields that look like dates
  // and a boolean, and a Date field.
  auto set = s.v1_as(admin_user, admin_password, "POST", v1 + data_path(approved_project),
                     set_body("<DataField DataFieldId=\"DF0CUSTNAME1\" Value=\"2024-01-02\"/>"
                              "<DataField DataFieldId=\"DF6PREFDATE6\" Value=\"01/02/2024\"/>"
                              "<DataField DataFieldId=\"DF7METERNO07\" Value=\"true\"/>"
                              "<DataField DataFieldId=\"DF5INSPDATE5\" Value=\"3/5/2024\"/>"));
  CAPTURE(set.body);
  REQUIRE(set.status == 200);
  const long fallbacks_before = metric(s, "pcbridge_value_typing_fallbacks_total");

  s.clear_sim_requests();
  auto all = s.v1("GET", v1 + "/Projects/" + approved_project + "/Data");
  CAPTURE(all.body);
  REQUIRE(all.status == 200);
  CHECK(value_of(all.body, "DF0CUSTNAME1") == "2024-01-02");  // Text: not made 01/02/2024
  CHECK(value_of(all.body, "DF6PREFDATE6") == "01/02/2024");  // Text: unchanged
  CHECK(value_of(all.body, "DF7METERNO07") == "true");        // Text: not made True
  CHECK(value_of(all.body, "DF5INSPDATE5") == "03/05/2024");  // Date
  CHECK(value_of(all.body, "DF1BATTERY01") == "False");       // Boolean
  CHECK(value_of(all.body, "DF3DATES0003") == "02/14/2024|");
  // GetForms and the schema of each of the program's two forms, then the data.
  const auto calls = upstream_calls(s);
  CHECK(std::count(calls.begin(), calls.end(), "GET " + v2 + "/Forms") == 1);
  CHECK(std::count(calls.begin(), calls.end(), "GET " + v2 + "/Forms/" + form2 + "/Schema") == 1);
  CHECK(calls.back() == "GET " + v2 + "/Projects/" + approved_project + "/Data");
  CHECK(metric(s, "pcbridge_value_typing_fallbacks_total") == fallbacks_before);  // nothing typed by pattern

  // Cached: a second call is one operation.
  s.clear_sim_requests();
  REQUIRE(s.v1("GET", v1 + "/Projects/" + approved_project + "/Data").status == 200);
  CHECK(upstream_calls(s) == std::vector<std::string>{"GET " + v2 + "/Projects/" + approved_project + "/Data"});
}

TEST_CASE("legacy input: without any schema the pattern fallback never changes an invalid date") {
  stack_options o;
  o.admin = true;
  stack s(o);
  REQUIRE(s.v1_as(admin_user, admin_password, "POST", v1 + data_path(approved_project),
                  set_body("<DataField DataFieldId=\"DF6PREFDATE6\" Value=\"2024-13-45\"/>"))
              .status == 200);
  // GetForms and every schema fail: no types at all.
  REQUIRE(s.sim_post("/__sim/faults", R"({"match":"/Forms","method":"GET","status":500,"count":20})").status == 200);
  const long before = metric(s, "pcbridge_value_typing_fallbacks_total");
  auto all = s.v1("GET", v1 + "/Projects/" + approved_project + "/Data", {}, {{"Cache-Control", "no-cache"}});
  CAPTURE(all.body);
  REQUIRE(all.status == 200);
  CHECK(value_of(all.body, "DF6PREFDATE6") == "2024-13-45");  // was 13/45/2024
  CHECK(value_of(all.body, "DF5INSPDATE5") == "01/30/2024");  // a valid date still converts, counted
  CHECK(metric(s, "pcbridge_value_typing_fallbacks_total") > before);
}
