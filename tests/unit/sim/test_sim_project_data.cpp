// CreateNewProject → SetProjectData (draft) → GetProjectData → SubmitProject → submitted data.
#include "unit/sim/sim_harness.hpp"

using namespace sim_test;
using namespace std::chrono_literals;

namespace {
std::string create(harness& h) {
  return h.api_json("POST", "NewProject")["Project"]["ProjectId"].get<std::string>();
}

const char* complete_draft = R"({"Project":{"DataFields":[
  {"DataFieldId":"CustomerName","Value":"Zoe Park"},
  {"DataFieldId":"DF1BATTERY01","Value":"true"},
  {"DataFieldId":"SystemSizeKw","Value":"6.5"},
  {"DataFieldId":"DF3DATES0003","Values":["2025-02-14",""]},
  {"DataFieldId":"Utility","Value":"City Light"},
  {"DataFieldId":"PreferredDate","Value":"2024-01-02"}]}})";

json field(const json& data, const std::string& id) {
  for (const auto& f : data["Project"]["DataFields"]) {
    if (f["DataFieldId"] == id) return f;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("CreateNewProject answers the §5.2 shape with a null ProjectNumber") {
  harness h;
  const auto body = h.api_json("POST", "NewProject");
  const auto expected = json::parse(R"({"Project":{
    "ProjectId":"PRJ000000001","ProgramId":"PRG0M4A7B2CD","ProjectNumber":null,
    "Url":"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=PRJ000000001",
    "LastChangeTimestamp":"2025-01-15T09:00:00-08:00",
    "CurrentStatus":{"StatusId":"U5N0B1T2D3AA","CustomId":null,"Name":"Unsubmitted","Timestamp":"2025-01-15T09:00:00-08:00"},
    "Forms":[
      {"FormId":"F0RM1A2B3C4D","CustomId":"InterconnectionApp","ProgramId":"PRG0M4A7B2CD","Name":"Interconnection Application",
       "AvailableInStatuses":[{"StatusId":"U5N0B1T2D3AA","CustomId":null,"Name":"Unsubmitted"},
                              {"StatusId":"NC0M9L3T4E5S","CustomId":"Incomplete","Name":"Incomplete"}]},
      {"FormId":"F0RM2E5F6G7H","CustomId":"Completion","ProgramId":"PRG0M4A7B2CD","Name":"Completion Certificate",
       "AvailableInStatuses":[{"StatusId":"AP9R0V3D4XYZ","CustomId":"Approved","Name":"Approved"}]}]}})");
  CHECK(body == expected);
  // Member order matters to the proxy (members become XML attributes in order).
  CHECK(body.dump() == expected.dump());
}

TEST_CASE("draft data round trip, submit, then submitted data") {
  harness h;
  const auto id = create(h);
  const auto draft_path = "Projects/" + id + "/Forms/InterconnectionApp/Draft/Data";

  h.advance(60s);
  const auto set = h.api_json("POST", draft_path, complete_draft);
  CHECK(set["Project"]["CanSubmit"] == true);
  CHECK(set["Project"]["LastChangeTimestamp"] == "2025-01-15T09:01:00-08:00");

  const auto draft = h.api_json("GET", "Projects/" + id + "/Forms/F0RM1A2B3C4D/Draft/Data");
  CHECK(draft == set);
  CHECK(draft["Project"]["DataFields"].size() == 10);
  CHECK(field(draft, "DF0CUSTNAME1") ==
        json::parse(R"({"DataFieldId":"DF0CUSTNAME1","CustomId":"CustomerName","Name":"Customer name","Value":"Zoe Park","Values":null})"));
  CHECK(field(draft, "DF3DATES0003") ==
        json::parse(R"({"DataFieldId":"DF3DATES0003","CustomId":"InstallDates","Name":"Install dates","Value":null,"Values":["2025-02-14",""]})"));
  CHECK(field(draft, "DF6PREFDATE6")["Value"] == "2024-01-02");  // a Text field: stored as sent
  CHECK(field(draft, "DF5INSPDATE5") ==
        json::parse(R"({"DataFieldId":"DF5INSPDATE5","CustomId":"InspectionDate","Name":"Inspection date","Value":null,"Values":null})"));
  CHECK(draft["Project"]["Attachments"] == json::parse(R"([
    {"AttachmentId":"AT1UTILBILL1","CustomId":"UtilityBill","Name":"Utility Bill","FileName":null},
    {"AttachmentId":"AT2SITEPLAN2","CustomId":null,"Name":"Site Plan","FileName":null}])"));

  // Nothing is submitted yet, and the number cannot be used before the first submit.
  CHECK(field(h.api_json("GET", "Projects/" + id + "/Forms/InterconnectionApp/Data"), "DF0CUSTNAME1")["Value"] ==
        nullptr);
  CHECK(h.api("GET", "Projects/NM-00003/Forms/InterconnectionApp/Draft/Data").status == 404);

  h.advance(60s);
  const auto submitted = h.api_json("POST", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Submit");
  const auto expected = json::parse(R"({"Project":{
    "ProjectId":"PRJ000000001","ProgramId":"PRG0M4A7B2CD","ProjectNumber":"NM-00003",
    "Url":"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=PRJ000000001",
    "LastChangeTimestamp":"2025-01-15T09:02:00-08:00",
    "CurrentStatus":{"StatusId":"ST8R1V6N3LQA","CustomId":"AppReview","Name":"Application Review","Timestamp":"2025-01-15T09:02:00-08:00"}}})");
  CHECK(submitted.dump() == expected.dump());

  // Now the project number works in URLs, and the submitted data equals the draft.
  const auto after = h.api_json("GET", "Projects/NM-00003/Forms/InterconnectionApp/Data");
  CHECK(after["Project"]["DataFields"] == draft["Project"]["DataFields"]);
  CHECK(after["Project"]["CanSubmit"] == false);  // not editable in Application Review
  const auto history = h.api_json("GET", "Projects/NM-00003/StatusHistory");
  CHECK(history["Project"]["StatusHistory"].size() == 2);
  CHECK(history["Project"]["StatusHistory"][0]["StatusId"] == "ST8R1V6N3LQA");
  CHECK(history["Project"]["StatusHistory"][0]["ChangedBy"] == "demo-client@example.com");

  // GetAllProjectData: submitted values of every form, empty fields left out, no CanSubmit.
  const auto all = h.api_json("GET", "Projects/NM-00003/Data");
  CHECK_FALSE(all["Project"].contains("CanSubmit"));
  CHECK(all["Project"]["DataFields"].size() == 6);
  CHECK(all["Project"]["Attachments"] == json::array());
  // A second submit is refused: the form is not editable in Application Review.
  CHECK(h.api("POST", "Projects/NM-00003/Forms/InterconnectionApp/Draft/Submit").status == 409);
}

TEST_CASE("Values replaces the whole instance list; null clears a field") {
  harness h;
  const auto id = create(h);
  const auto path = "Projects/" + id + "/Forms/InterconnectionApp/Draft/Data";
  h.api_json("POST", path, R"({"Project":{"DataFields":[{"DataFieldId":"InstallDates","Values":["2025-01-01","2025-01-02","2025-01-03"]}]}})");
  auto data = h.api_json("POST", path, R"({"Project":{"DataFields":[{"DataFieldId":"InstallDates","Values":["2025-03-03"]}]}})");
  CHECK(field(data, "DF3DATES0003")["Values"] == json::parse(R"(["2025-03-03"])"));
  data = h.api_json("POST", path, R"({"Project":{"DataFields":[{"DataFieldId":"InstallDates","Values":null}]}})");
  CHECK(field(data, "DF3DATES0003")["Values"] == nullptr);
}

TEST_CASE("SetProjectData validates every value and applies nothing when one is wrong") {
  harness h;
  const auto id = create(h);
  const auto path = "Projects/" + id + "/Forms/InterconnectionApp/Draft/Data";
  const auto status_of = [&](const std::string& entry) {
    auto r = h.api("POST", path, R"({"Project":{"DataFields":[{"DataFieldId":"CustomerName","Value":"Kept?"},)" + entry + "]}}");
    return r.status;
  };
  CHECK(status_of(R"({"DataFieldId":"NoSuchField","Value":"x"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"InspectionDate","Value":"01/02/2024"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"InspectionDate","Value":"2024-02-30"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"DF1BATTERY01","Value":"True"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"SystemSizeKw","Value":"1001"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"SystemSizeKw","Value":"1,5"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"Utility","Value":"Other Power"})") == 400);
  CHECK(status_of(R"({"DataFieldId":"InspectionDate","Values":["2024-01-01"]})") == 400);  // not multi-instance
  CHECK(status_of(R"({"DataFieldId":"InstallDates","Value":"2024-01-01"})") == 400);      // multi-instance
  CHECK(status_of(R"({"DataFieldId":"InstallDates","Values":["2024-01-01","1/2/2024"]})") == 400);
  CHECK(status_of(R"({"DataFieldId":"InstallDates","Value":"2024-01-01","Values":["2024-01-01"]})") == 400);
  CHECK(status_of(R"({"DataFieldId":"DFACOMPDATEA","Value":"2024-01-01"})") == 400);  // field of another form
  CHECK(status_of(R"({"DataFieldId":"CustomerName","Value":7})") == 400);
  const auto draft = h.api_json("GET", path);
  CHECK(field(draft, "DF0CUSTNAME1")["Value"] == nullptr);

  auto title_of = h.api("POST", path, R"({"Project":{"DataFields":[{"DataFieldId":"InspectionDate","Value":"01/02/2024"}]}})");
  CHECK(title(title_of) == "Date values must be yyyy-MM-dd (field DF5INSPDATE5, value \"01/02/2024\")");

  CHECK(h.api("POST", path, "{not json").status == 400);
  CHECK(h.api("POST", path, R"({"DataFields":[]})").status == 400);
  auto xml = h.call("POST", program_path + "/" + path, "<ProjectDataRequest/>",
                    {{"Authorization", "Bearer " + h.token}, {"X-ApiKey", "demo-key"}, {"Content-Type", "application/xml"}});
  CHECK(xml.status == 415);
}

TEST_CASE("submit needs the required fields and an editable status") {
  harness h;
  const auto id = create(h);
  auto incomplete = h.api("POST", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Submit");
  CHECK(incomplete.status == 400);
  CHECK(title(incomplete) == "Form is not complete; missing: CustomerName, SystemSizeKw, Utility");
  auto wrong_form = h.api("POST", "Projects/" + id + "/Forms/Completion/Draft/Submit");
  CHECK(wrong_form.status == 409);
  const auto data = h.api_json("GET", "Projects/" + id + "/Forms/InterconnectionApp/Draft/Data");
  CHECK(data["Project"]["CanSubmit"] == false);
  // Draft writes to a form that is not open in the current status are refused too.
  CHECK(h.api("POST", "Projects/" + id + "/Forms/Completion/Draft/Data",
              R"({"Project":{"DataFields":[{"DataFieldId":"CompletionDate","Value":"2025-01-01"}]}})")
            .status == 409);
}

TEST_CASE("admin SetProjectData writes submitted values directly and needs a complete form") {
  harness h;
  // Seed project NM-00002 (Application Review) by its number.
  auto incomplete = h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Data",
                          R"({"Project":{"DataFields":[{"DataFieldId":"CustomerName","Value":""}]}})");
  CHECK(incomplete.status == 400);
  const auto saved = h.api_json("POST", "Projects/NM-00002/Forms/InterconnectionApp/Data?run_followup_actions=true",
                                R"({"Project":{"DataFields":[{"DataFieldId":"MeterNo","Value":"MTR-9"}]}})");
  CHECK(field(saved, "DF7METERNO07")["Value"] == "MTR-9");
  CHECK(field(h.api_json("GET", "Projects/NM-00002/Forms/InterconnectionApp/Data"), "DF7METERNO07")["Value"] == "MTR-9");
  CHECK(field(h.api_json("GET", "Projects/NM-00002/Forms/InterconnectionApp/Draft/Data"), "DF7METERNO07")["Value"] == "MTR-9");
  CHECK(h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Data?run_followup_actions=yes",
              R"({"Project":{"DataFields":[]}})")
            .status == 400);
}

TEST_CASE("sensitive values are masked unless revealed with an MFA header") {
  harness h;
  const auto path = "Projects/PRJ7K2M9Q4XZ/Forms/InterconnectionApp/Data";
  CHECK(field(h.api_json("GET", path), "DF8ACCOUNT08")["Value"] == "********");
  CHECK(h.api("GET", std::string(path) + "?reveal_sensitive_data=true").status == 403);
  auto revealed = h.api("GET", std::string(path) + "?reveal_sensitive_data=true", {}, {{"Mfa-Session-Token", "mst"}});
  CHECK(revealed.status == 200);
  CHECK(field(json::parse(revealed.body), "DF8ACCOUNT08")["Value"] == "9876543210");
  CHECK(h.api("GET", std::string(path) + "?reveal_sensitive_data=1").status == 400);
}

TEST_CASE("GetAllProjectData of a seeded project: submitted values, only filled fields, only uploaded files") {
  harness h;
  const auto all = h.api_json("GET", "Projects/NM-00001/Data");
  const auto& p = all["Project"];
  CHECK(p["ProjectId"] == "PRJ7K2M9Q4XZ");
  CHECK(p["DataFields"].size() == 10);
  CHECK(p["Attachments"] ==
        json::parse(R"([{"AttachmentId":"AT1UTILBILL1","CustomId":"UtilityBill","Name":"Utility Bill","FileName":"bill.pdf"}])"));
  CHECK(h.api_json("GET", "Projects/PRJ3D4R5F6T7/Data")["Project"]["DataFields"] == json::array());  // never submitted
}
