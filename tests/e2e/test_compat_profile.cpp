// End-to-end: the configuration's `compat:` section reaches the running proxy (mapping.md §8,
// issue 10 item 10): config -> proxy -> translators, and pcbridge's own error answers.
#include <doctest/doctest.h>

#include <string>

#include "e2e/assertions.hpp"
#include "e2e/process.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;

namespace {

const std::string ns = "http://service.powerclerk.com/api/v1/";

stack_options with_compat(const std::string& lines) {
  stack_options o;
  o.extra_config = "compat:\n" + lines;
  return o;
}

// A pcbridge error in the `text` form: the message alone, as text/plain, with the usual headers.
void check_text_error(const reply& r, int status, const std::string& message) {
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "text/plain; charset=utf-8");
  CHECK(r.body == message);
  CHECK_FALSE(r.header("x-request-id").empty());
  CHECK(r.header("x-amzn-requestid") == r.header("x-request-id"));
}

std::string set_body(const std::string& fields) {
  return "<ProjectDataRequest xmlns=\"" + ns + "\"><Project><DataFields>" + fields +
         "</DataFields></Project></ProjectDataRequest>";
}

std::string data_path(const std::string& project) { return "/Projects/" + project + "/Forms/" + form + "/Data"; }

// `pcbridge translate ARGS < input`: its exit status, stdout and stderr (together) in `output`.
int run_translate(const stack& s, const std::string& args, const std::string& input, std::string& output) {
  const std::string in = s.dir() + "/translate_in.json", out = s.dir() + "/translate_out.txt";
  write_file(in, input);
  write_file(out, "");
  child_process p({"/bin/sh", "-c", "exec '" + binary_path("pcbridge") + "' translate " + args + " < '" + in + "'"}, out);
  const int code = p.wait(std::chrono::seconds(20));
  output = read_file(out);
  return code;
}

}  // namespace

TEST_CASE("compat error_body: text: pcbridge's own 401, 400 and 404 and a relayed upstream 409 are the bare message") {
  stack s(with_compat("  error_body: text\n"));

  const reply unauthorized = s.v1_as(user, "wrong-password", "GET", v1 + "/Forms");
  check_text_error(unauthorized, 401, "invalid user name or password");
  CHECK(unauthorized.header("www-authenticate") == "Basic realm=\"pcbridge\", charset=\"UTF-8\"");

  const reply bad_body = s.v1("POST", v1 + "/Projects/ByNumber", "<ProjectByNumberRequest");
  check_text_error(bad_body, 400, "GetProjectsByNumber: malformed XML: Error parsing start element tag at offset 22");

  const reply bad_query = s.v1("GET", v1 + "/Projects?changed_since=not-a-date");
  check_text_error(bad_query, 400,
                   "changed_since value \"not-a-date\" is not a valid timestamp (use yyyy-MM-dd, MM/dd/yyyy or "
                   "yyyy-MM-ddTHH:mm:ss[.fffffff]+HH:mm)");

  const reply unknown = s.v1("GET", "/NotServices/v1/Programs");
  check_text_error(unknown, 404, "not a V1 API path: V1 paths start with /Services.svc/v1/");

  // An upstream error relayed by pcbridge takes the same form (the approved project's form is closed).
  const reply closed = s.v1("POST", v1 + data_path(approved_project),
                            set_body("<DataField DataFieldId=\"DF7METERNO07\" Value=\"M-1\"/>"));
  check_text_error(closed, 409, "upstream: Form F0RM1A2B3C4D cannot be edited in status Approved");

  // Successful answers stay XML.
  const reply ok = s.v1("GET", v1 + "/Forms");
  CHECK(ok.status == 200);
  CHECK(ok.header("content-type") == "application/xml; charset=utf-8");
}

TEST_CASE("compat error_body: xml (the default) is unchanged: the V1 <Error/> document") {
  stack s;
  const reply unauthorized = s.v1_as(user, "wrong-password", "GET", v1 + "/Forms");
  check_v1_error(unauthorized, 401, "invalid user name or password");
}

TEST_CASE("compat through the proxy: capitalized object booleans, CurrentStatus element only, Url beside Project only") {
  stack s(with_compat("  object_booleans: capitalized\n  data_current_status: element\n  submit_project_url: beside\n"));

  // GetProjectData: CanSubmit="False" (not xs:boolean false), <CurrentStatus> without the flattened attributes.
  const reply data = s.v1("GET", v1 + data_path(approved_project));
  REQUIRE(data.status == 200);
  CAPTURE(data.body);
  CHECK(data.body.find(" CanSubmit=\"False\"") != std::string::npos);
  CHECK(data.body.find("CanSubmit=\"false\"") == std::string::npos);
  CHECK(data.body.find("<CurrentStatus StatusId=\"AP9R0V3D4XYZ\" Name=\"Approved\" Timestamp=\"2024-02-01T14:00:00-08:00\"/>") !=
        std::string::npos);
  CHECK(data.body.find(" Status=\"Approved\"") == std::string::npos);
  CHECK(data.body.find("StatusTimestamp=") == std::string::npos);

  // SubmitProject: fill the draft's required fields, submit; Url only beside Project.
  REQUIRE(s.v1("POST", v1 + data_path(draft_project),
               set_body("<DataField DataFieldId=\"DF4UTILITY04\" Value=\"City Light\"/>"))
              .status == 200);
  const reply submitted = s.v1("POST", v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Submit");
  REQUIRE(submitted.status == 200);
  CAPTURE(submitted.body);
  const std::string url = "<Url Value=\"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=" + program +
                          "&amp;ProjectId=" + draft_project + "\"/>";
  const std::string tail = url + "</ProjectSubmitResponse>";
  REQUIRE(submitted.body.size() > tail.size());
  CHECK(submitted.body.substr(submitted.body.size() - tail.size()) == tail);
  CHECK(submitted.body.find(url) == submitted.body.rfind(url));  // once: not inside Project too
}

TEST_CASE("pcbridge translate --config FILE uses FILE's compat: section: byte for byte the running proxy's answer") {
  stack s(with_compat("  object_booleans: capitalized\n  xsd_xsi_declarations: omit\n"
                      "  response_roots: { GetProjectData: ProjectData }\n"));
  // The same V2 answer through the proxy (the simulator serves it) and through translate.
  const std::string v2_answer =
      R"({"Project":{"ProjectId":"P1","ProgramId":"G1","CanSubmit":true,"LastChangeTimestamp":"2024-02-01T14:00:00-08:00",)"
      R"("CurrentStatus":{"StatusId":"S1","CustomId":null,"Name":"Unsubmitted","Timestamp":"2024-02-01T14:00:00-08:00"}}})";
  REQUIRE(s.sim_post("/__sim/faults", json{{"match", "/Draft/Data"}, {"method", "GET"}, {"status", 200}, {"body", v2_answer}}.dump())
              .status / 100 == 2);
  const reply proxied = s.v1("GET", v1 + data_path(approved_project));
  REQUIRE(proxied.status == 200);
  const std::string expected =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ProjectData xmlns=\"" + ns +
      "\"><Project ProjectId=\"P1\" ProgramId=\"G1\" CanSubmit=\"True\" Status=\"Unsubmitted\" "
      "StatusTimestamp=\"2024-02-01T14:00:00-08:00\"><CurrentStatus StatusId=\"S1\" Name=\"Unsubmitted\" "
      "Timestamp=\"2024-02-01T14:00:00-08:00\"/></Project></ProjectData>";
  CHECK(proxied.body == expected);

  std::string output;
  CHECK(run_translate(s, "--method GetProjectData --direction response --config '" + s.config_path() + "'", v2_answer,
                      output) == 0);
  CHECK(output == proxied.body);

  // An invalid configuration: exit 3 and its problems as --check-config prints them.
  const std::string bad = s.dir() + "/bad.yaml";
  write_file(bad, read_file(s.config_path()) + "  submit_project_url: above\n");
  CHECK(run_translate(s, "--method GetProjectData --direction response --config '" + bad + "'", v2_answer, output) == 3);
  CHECK(output.find(bad + ":") == 0);
  CHECK(output.find(": compat.submit_project_url: expected one of: both, inside, beside\n") != std::string::npos);
}

TEST_CASE("GetProjectsByNumber: an empty body is the 400 showing the expected shape, nothing goes upstream") {
  stack s;
  s.clear_sim_requests();
  for (const std::string body : {"", " \r\n"}) {
    const reply r = s.v1("POST", v1 + "/Projects/ByNumber?version=2", body, {{"Content-Type", "application/xml"}});
    check_v1_error(r, 400,
                   "GetProjectsByNumber: no project number found; expected &lt;ProjectByNumberRequest "
                   "xmlns=&quot;http://service.powerclerk.com/api/v1/&quot;&gt;&lt;ProjectNumbers&gt;&lt;ProjectNumber&gt;"
                   "NM-00001&lt;/ProjectNumber&gt;&lt;/ProjectNumbers&gt;&lt;/ProjectByNumberRequest&gt;");
  }
  CHECK(s.sim_api_requests().empty());
}

TEST_CASE("compat request keys through the proxy: by_number_json_name names the list V2 receives, data_field_without_value: skip") {
  stack s(with_compat("  by_number_json_name: Numbers\n  data_field_without_value: skip\n"));
  s.clear_sim_requests();
  s.v1("POST", v1 + "/Projects/ByNumber",
       "<ProjectByNumberRequest xmlns=\"" + ns + "\"><ProjectNumbers><ProjectNumber>NM-00001</ProjectNumber>"
       "</ProjectNumbers></ProjectByNumberRequest>");
  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["target"] == v2 + "/Projects/ByNumber");
  CHECK(api[0]["body"] == R"({"Numbers":["NM-00001"]})");

  s.clear_sim_requests();
  const reply written = s.v1("POST", v1 + data_path(draft_project),
                             set_body("<DataField DataFieldId=\"DF7METERNO07\" Name=\"Meter number\"/>"
                                      "<DataField DataFieldId=\"DF0CUSTNAME1\" Value=\"Casey K.\"/>"));
  CHECK(written.status == 200);
  std::string posted;
  for (const auto& r : s.sim_api_requests())
    if (r["method"] == "POST") posted = r["body"].get<std::string>();
  CHECK(posted == R"({"Project":{"DataFields":[{"DataFieldId":"DF0CUSTNAME1","Value":"Casey K."}]}})");
}

TEST_CASE("instances: writing instance 0 of a field whose instance 1 reads masked is refused, nothing is written") {
  stack s;
  // The current draft as a masking upstream answers it without reveal_sensitive_data
  // (the simulator's mask form, tools/sim sensitive fields): instance 1 is "********".
  const std::string masked_draft =
      R"({"Project":{"ProjectId":")" + draft_project +
      R"(","DataFields":[{"DataFieldId":"DF9INVERTER9","CustomId":null,"Name":"Inverter manufacturer","Value":null,)"
      R"("Values":["Acme","********"]}]}})";
  REQUIRE(s.sim_post("/__sim/faults", json{{"match", "/Draft/Data"}, {"method", "GET"}, {"status", 200}, {"body", masked_draft}}.dump())
              .status / 100 == 2);
  s.clear_sim_requests();
  const reply r = s.v1("POST", v1 + data_path(draft_project),
                       set_body("<DataField DataFieldId=\"DF9INVERTER9\" Value=\"Enphase\" Instance=\"0\"/>"));
  check_v1_error(r, 409,
                 "SetProjectData: DataField DF9INVERTER9: instance 1 reads as masked (sensitive data), so writing only "
                 "some instances would store the mask over it; nothing was written: send every instance of this field "
                 "in one request");
  for (const auto& call : s.sim_api_requests()) CHECK(call["method"] != "POST");  // the read only
}
