// Programs, forms, schemas, statuses, owner, attachments, inquiry threads and routing.
#include "unit/sim/sim_harness.hpp"

#include <cctype>

using namespace sim_test;
using namespace std::chrono_literals;

TEST_CASE("GetPrograms and GetForms") {
  harness h;
  CHECK(h.api_json("GET", "/services/v2/Programs").dump() ==
        R"({"Programs":[{"ProgramId":"PRG0M4A7B2CD","Name":"Net Metering"},{"ProgramId":"PRG2B4T5R6YZ","Name":"Battery Rebate"}]})");
  const auto forms = h.api_json("GET", "/services/v2/Programs/PRG2B4T5R6YZ/Forms");
  CHECK(forms.dump() ==
        R"({"Forms":[{"FormId":"F0RM3J8K9L0M","CustomId":"RebateClaim","ProgramId":"PRG2B4T5R6YZ","Name":"Rebate Claim",)"
        R"("AvailableInStatuses":[{"StatusId":"U2N5B6T7D8BB","CustomId":null,"Name":"Unsubmitted"}]}]})");
}

TEST_CASE("GetFormSchema: Properties, Choices and MultiInstance only when set") {
  harness h;
  const auto schema = h.api_json("GET", "Forms/InterconnectionApp/Schema")["FormSchema"];
  CHECK(schema["FormId"] == "F0RM1A2B3C4D");
  CHECK(schema["Name"] == "Interconnection Application");
  CHECK_FALSE(schema.contains("ProgramId"));
  const auto& fields = schema["DataFields"];
  REQUIRE(fields.size() == 10);
  CHECK(fields[0].dump() == R"({"DataFieldId":"DF0CUSTNAME1","CustomId":"CustomerName","Name":"Customer name","Type":"Text"})");
  CHECK(fields[1].dump() == R"({"DataFieldId":"DF1BATTERY01","CustomId":null,"Name":"Has battery","Type":"Boolean"})");
  CHECK(fields[2].dump() ==
        R"j({"DataFieldId":"DF2SYSSIZE02","CustomId":"SystemSizeKw","Name":"System size (kW)","Type":"Number","Properties":{"Min":"0","Max":"1000"}})j");
  CHECK(fields[3].dump() ==
        R"({"DataFieldId":"DF3DATES0003","CustomId":"InstallDates","Name":"Install dates","Type":"Date","MultiInstance":true})");
  CHECK(fields[4].dump() ==
        R"({"DataFieldId":"DF4UTILITY04","CustomId":"Utility","Name":"Utility","Type":"Choice","Choices":["Pacific Power","City Light","Rural Electric Coop"]})");
  CHECK(fields[6]["Type"] == "Text");  // "Preferred install date": a date by name only
  CHECK(schema["Attachments"].dump() ==
        R"([{"AttachmentId":"AT1UTILBILL1","CustomId":"UtilityBill","Name":"Utility Bill"},{"AttachmentId":"AT2SITEPLAN2","CustomId":null,"Name":"Site Plan"}])");
  CHECK(h.api_json("GET", "/services/v2/Programs/PRG2B4T5R6YZ/Forms/F0RM3J8K9L0M/Schema")["FormSchema"]["DataFields"][0]
            ["Properties"]
            .dump() == R"({"Min":"1"})");
  CHECK(h.api("GET", "Forms/NOPE/Schema").status == 404);
  // Form ids do not leak across programs.
  CHECK(h.api("GET", "/services/v2/Programs/PRG2B4T5R6YZ/Forms/F0RM1A2B3C4D/Schema").status == 404);
}

TEST_CASE("seed ids are 12-character upper-case alphanumerics") {
  harness h;
  const auto check_id = [](const json& id) {
    const auto s = id.get<std::string>();
    CHECK(s.size() == 12);
    for (const char c : s) CHECK((std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))));
  };
  // Range-for over a member of a temporary would dangle: every answer is kept in a local.
  const auto programs = h.api_json("GET", "/services/v2/Programs");
  for (const auto& p : programs["Programs"]) {
    check_id(p["ProgramId"]);
    const auto base = "/services/v2/Programs/" + p["ProgramId"].get<std::string>();
    const auto statuses = h.api_json("GET", base + "/StatusList");
    for (const auto& s : statuses["Statuses"]) check_id(s["StatusId"]);
    const auto forms = h.api_json("GET", base + "/Forms");
    for (const auto& f : forms["Forms"]) {
      check_id(f["FormId"]);
      const auto schema = h.api_json("GET", base + "/Forms/" + f["FormId"].get<std::string>() + "/Schema");
      for (const auto& d : schema["FormSchema"]["DataFields"]) check_id(d["DataFieldId"]);
      for (const auto& a : schema["FormSchema"]["Attachments"]) check_id(a["AttachmentId"]);
    }
    const auto projects = h.api_json("GET", base + "/Projects");
    for (const auto& pr : projects["Projects"]) check_id(pr["ProjectId"]);
  }
}

TEST_CASE("GetStatusList and GetProjectStatusHistory") {
  harness h;
  const auto statuses = h.api_json("GET", "StatusList")["Statuses"];
  REQUIRE(statuses.size() == 7);
  CHECK(statuses[0].dump() == R"({"StatusId":"U5N0B1T2D3AA","CustomId":null,"Name":"Unsubmitted"})");
  CHECK(statuses[1].dump() == R"({"StatusId":"ST8R1V6N3LQA","CustomId":"AppReview","Name":"Application Review"})");
  const auto history = h.api_json("GET", "Projects/NM-00001/StatusHistory");
  CHECK(history["Project"]["ProjectNumber"] == "NM-00001");
  CHECK(history["Project"]["StatusHistory"].size() == 3);
  CHECK(history["Project"]["StatusHistory"][0].dump() ==
        R"({"StatusId":"AP9R0V3D4XYZ","Name":"Approved","ChangedBy":"reviewer@example.com","ReportAsChangedBy":"Program Administrator","Timestamp":"2024-02-01T14:00:00-08:00"})");
  CHECK(history["Project"]["StatusHistory"][2]["Name"] == "Unsubmitted");
}

TEST_CASE("SetProjectStatus moves only to a valid next status") {
  harness h;
  auto bad = h.api("POST", "Projects/NM-00002/Status/PTO");
  CHECK(bad.status == 409);
  CHECK(title(bad) == "Status Permission to Operate is not a valid next status after Application Review");
  CHECK(h.api("POST", "Projects/NM-00002/Status/NOSUCHSTATUS").status == 404);
  CHECK(h.api("POST", "Projects/NM-00002/Status/Approved?AutoCommunication=maybe").status == 400);
  h.advance(250ms);
  const auto ok = h.api_json("POST", "Projects/NM-00002/Status/AP9R0V3D4XYZ?AutoCommunication=false");
  CHECK(ok.dump() ==
        R"({"Status":{"StatusId":"AP9R0V3D4XYZ","CustomId":"Approved","Name":"Approved","Timestamp":"2025-01-15T09:00:00.2500000-08:00"},)"
        R"("Url":"http://yourprogram.powerclerk.com/Projects/ProjectList?ProgramId=PRG0M4A7B2CD"})");
  const auto list = h.api_json("GET", "Projects?changed_since=2025-01-15T09:00:00-08:00");
  CHECK(list["Projects"].size() == 1);
  CHECK(list["Projects"][0]["CurrentStatus"]["Name"] == "Approved");
  // The Completion form is open in Approved; its submit leads to Completion Review.
  h.api_json("POST", "Projects/NM-00002/Forms/Completion/Draft/Data",
             R"({"Project":{"DataFields":[{"DataFieldId":"CompletionDate","Value":"2025-01-10"}]}})");
  CHECK(h.api_json("POST", "Projects/NM-00002/Forms/Completion/Draft/Submit")["Project"]["CurrentStatus"]["Name"] ==
        "Completion Review");
}

TEST_CASE("SetProjectOwner") {
  harness h;
  CHECK(h.api_json("POST", "Projects/PRJ3D4R5F6T7/Owner", R"({"OwnerEmail":"installer@example.com"})").dump() ==
        R"({"Owner":{"Name":"Sam Installer","Email":"installer@example.com"}})");
  CHECK(h.api_json("POST", "Projects/PRJ3D4R5F6T7/Owner", R"({"OwnerEmail":"new.person@example.com"})").dump() ==
        R"({"Owner":{"Name":"new.person","Email":"new.person@example.com"}})");
  CHECK(h.api_json("GET", "Projects")["Projects"][2]["ProjectOwner"]["Email"] == "new.person@example.com");
  CHECK(h.api("POST", "Projects/PRJ3D4R5F6T7/Owner", R"({"OwnerEmail":"nobody"})").status == 400);
  CHECK(h.api("POST", "Projects/PRJ3D4R5F6T7/Owner", R"({"Email":"a@b"})").status == 400);
}

TEST_CASE("attachments: upload keeps type and name, download returns the bytes, metadata follows") {
  harness h;
  const std::string bytes("%PDF\0\x01\xff binary", 15);
  auto up = h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Attachments/UtilityBill", bytes,
                  {{"Content-Type", "application/pdf"}, {"Content-Disposition", R"(attachment; filename="bill 2.pdf")"}});
  REQUIRE(up.status == 200);
  const auto meta = json::parse(up.body);
  CHECK(meta.dump() == R"({"AttachmentMetadata":{"AttachmentId":"AT1UTILBILL1","AttachmentName":"Utility Bill",)"
                       R"("FileName":"bill 2.pdf","FileSize":15,"AttachmentStatus":"Pending","Note":null,)"
                       R"("UploadTimestamp":"2025-01-15T09:00:00-08:00","Uploader":{"Name":"demo-client","Email":"demo-client@example.com"}}})");

  auto down = h.api("GET", "Projects/NM-00002/Attachments/AT1UTILBILL1");
  CHECK(down.status == 200);
  CHECK(down.body == bytes);
  CHECK(down.headers.find("Content-Type").value() == "application/pdf");
  CHECK(down.headers.find("Content-Disposition").value() == R"(attachment; filename="bill 2.pdf")");

  CHECK(h.api_json("GET", "Projects/NM-00002/Attachments/UtilityBill/Metadata") == meta);
  const auto approved = h.api_json("POST", "Projects/NM-00002/Attachments/UtilityBill/Metadata",
                                   R"({"AttachmentStatus":"Approve","Note":"Looks good"})");
  CHECK(approved["AttachmentMetadata"]["AttachmentStatus"] == "Approved");
  CHECK(approved["AttachmentMetadata"]["Note"] == "Looks good");
  const auto saved = h.api_json("POST", "Projects/NM-00002/Attachments/UtilityBill/Metadata", R"({"AttachmentStatus":"Save"})");
  CHECK(saved["AttachmentMetadata"]["AttachmentStatus"] == "Approved");
  CHECK(saved["AttachmentMetadata"]["Note"] == "Looks good");
  CHECK(h.api_json("POST", "Projects/NM-00002/Attachments/UtilityBill/Metadata",
                   R"({"AttachmentStatus":"Reject","Note":null})")["AttachmentMetadata"]["Note"] == nullptr);
  CHECK(h.api_json("POST", "Projects/NM-00002/Attachments/UtilityBill/Metadata", R"({"AttachmentStatus":"Unmark"})")
            ["AttachmentMetadata"]["AttachmentStatus"] == "Pending");
  CHECK(h.api("POST", "Projects/NM-00002/Attachments/UtilityBill/Metadata", R"({"AttachmentStatus":"Approved"})").status ==
        400);
  // The file shows up in the project data.
  CHECK(h.api_json("GET", "Projects/NM-00002/Forms/InterconnectionApp/Data")["Project"]["Attachments"][0]["FileName"] ==
        "bill 2.pdf");
}

TEST_CASE("attachments without a file; uploads without a name; wrong form") {
  harness h;
  CHECK(h.api_json("GET", "Projects/NM-00002/Attachments/AT2SITEPLAN2/Metadata").dump() ==
        R"({"AttachmentMetadata":{"AttachmentId":"AT2SITEPLAN2","AttachmentName":"Site Plan","FileName":null,"FileSize":null,)"
        R"("AttachmentStatus":null,"Note":null,"UploadTimestamp":null,"Uploader":null}})");
  CHECK(h.api("GET", "Projects/NM-00002/Attachments/AT2SITEPLAN2").status == 404);
  CHECK(h.api("POST", "Projects/NM-00002/Attachments/AT2SITEPLAN2/Metadata", R"({"AttachmentStatus":"Approve"})").status ==
        409);
  CHECK(h.api("POST", "Projects/NM-00002/Forms/Completion/Attachments/AT2SITEPLAN2", "x").status == 404);
  CHECK(h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Attachments/AT2SITEPLAN2", "").status == 400);
  auto up = h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Draft/Attachments/AT2SITEPLAN2", "abc");
  CHECK(up.status == 200);
  auto down = h.api("GET", "Projects/NM-00002/Attachments/AT2SITEPLAN2");
  CHECK(down.headers.find("Content-Type").value() == "application/json");  // the harness's header for a body
  CHECK(down.headers.find("Content-Disposition").value() == R"(attachment; filename="upload.bin")");
  h.api("POST", "Projects/NM-00002/Forms/InterconnectionApp/Attachments/AT2SITEPLAN2", "abc",
        {{"Content-Disposition", "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"}});
  CHECK(json::parse(h.api("GET", "Projects/NM-00002/Attachments/AT2SITEPLAN2/Metadata").body)["AttachmentMetadata"]
            ["FileName"] == "r\xC3\xA9sum\xC3\xA9.pdf");
}

TEST_CASE("inquiry threads and notes") {
  harness h;
  const auto threads = h.api_json("GET", "Projects/NM-00002/InquiryThreads");
  CHECK(threads.dump() == R"({"InquiryThreads":[{"ThreadId":"THR1A2B3C4D5","ProjectId":"PRJ5S6U7B8M9","ExternalId":null,)"
                          R"("Subject":"Missing utility bill","Status":"Open","CreatedBy":"reviewer@example.com",)"
                          R"("CreatedDate":"2024-03-06T09:30:00-08","LastNoteDate":"2024-03-07T08:05:00-08"}]})");
  const auto notes = h.api_json("GET", "/services/v2/Programs/PRG0M4A7B2CD/InquiryThreads/THR1A2B3C4D5/Notes");
  REQUIRE(notes["Notes"].size() == 2);
  CHECK(notes["Notes"][1].dump() == R"({"NoteId":"NTE2E3F4G5H6","ThreadId":"THR1A2B3C4D5","Text":"Uploading it this week.",)"
                                    R"("CreatedBy":"installer@example.com","IsAdmin":false,"CreatedDate":"2024-03-07T08:05:00-08"})");

  const auto added = h.api_json("POST", "Projects/NM-00002/SetInquiryNote", R"({"ThreadId":"THR1A2B3C4D5","Text":"Thanks"})");
  CHECK(added["Note"]["ThreadId"] == "THR1A2B3C4D5");
  CHECK(added["Note"]["IsAdmin"] == true);
  const auto opened = h.api_json("POST", "Projects/NM-00002/SetInquiryNote",
                                 R"({"Subject":"Inverter model","Text":"Which model?","IsAdmin":false})");
  const auto new_thread = opened["Note"]["ThreadId"].get<std::string>();
  CHECK(new_thread != "THR1A2B3C4D5");
  CHECK(h.api_json("GET", "Projects/NM-00002/InquiryThreads")["InquiryThreads"].size() == 2);

  CHECK(h.api_json("POST", "InquiryThreads/" + new_thread + "/Status/Closed")["InquiryThread"]["Status"] == "Closed");
  CHECK(h.api("POST", "InquiryThreads/" + new_thread + "/Status/Pending").status == 400);
  CHECK(h.api_json("POST", "InquiryThreads/" + new_thread + "/ExternalId/CRM-7")["InquiryThread"]["ExternalId"] == "CRM-7");
  CHECK(h.api("POST", "Projects/NM-00001/SetInquiryNote", R"({"ThreadId":"THR1A2B3C4D5","Text":"x"})").status == 404);
  CHECK(h.api("POST", "Projects/NM-00002/SetInquiryNote", R"({"Text":""})").status == 400);
  CHECK(h.api("POST", "Projects/NM-00002/SetInquiryNote", R"({"Note":"x"})").status == 400);
  CHECK(h.api("GET", "InquiryThreads/NOPE/Notes").status == 404);
}

TEST_CASE("routing: V2 casing only, 404 for unknown routes, 405 for a known path with another verb") {
  harness h;
  CHECK(h.api("GET", "/services/v2/programs").status == 404);
  CHECK(h.api("GET", "/services/v2/Programs/PRG0M4A7B2CD/projects").status == 404);
  CHECK(h.api("GET", "/services/v2/Programs/PRG0M4A7B2CD/Projects/NM-00001/Forms/InterconnectionApp/Submit").status ==
        404);
  CHECK(h.api("GET", "/services/v2/Nothing").status == 404);
  CHECK(h.api("GET", "/services/v2/Programs/").status == 404);
  CHECK(h.api("DELETE", "/services/v2/Programs").status == 405);
  CHECK(h.api("GET", "NewProject").status == 405);
  CHECK(h.api("GET", "Projects/NOSUCHPROJCT/Data").status == 404);
  CHECK(h.api("GET", "Projects/PRJ9B8R7C6D5/Data").status == 404);  // a project of the other program
  CHECK(h.api("GET", "/services/v2/Programs/PRG0M4A7B2CD/Projects/NM%2D00001/Data").status == 200);  // decoded
  CHECK(h.api("GET", "/services/v2/Programs/PRG0M4A7B2CD/Projects/NM%ZZ/Data").status == 400);
  CHECK(h.call("GET", "/nowhere").status == 404);
}
