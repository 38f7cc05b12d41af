// End-to-end: the legacy V1 workflow through pcbridge and the V2 simulator, queries and
// inquiries: GetProjectsByNumber/ByData, inquiry threads and notes, upstream 409/400 as V1
// errors. Every V1 answer is parsed as XML and checked element by element; every step also
// checks exactly what reached the simulator (paths, JSON bodies).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "e2e/workflow_support.hpp"

using namespace e2e;
using namespace e2e::workflow;
using nlohmann::json;

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
