// End-to-end: the configuration's `compat:` section reaches the running proxy (mapping.md §8,
// issue 10 item 10): config -> proxy -> translators, and pcbridge's own error answers.
#include <doctest/doctest.h>

#include <string>

#include "e2e/assertions.hpp"
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
