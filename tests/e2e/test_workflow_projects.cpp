// End-to-end: the legacy V1 workflow through pcbridge and the V2 simulator, projects: create,
// draft data, submit, changes, status history, multi-instance writes, owner and status,
// attachment metadata. Every V1 answer is parsed as XML and checked element by element; every
// step also checks exactly what reached the simulator (paths, JSON bodies).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "e2e/workflow_support.hpp"

using namespace e2e;
using namespace e2e::workflow;
using nlohmann::json;

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
