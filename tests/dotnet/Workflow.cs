// The legacy workflow, step by step, against the simulator's seed data (tools/sim/README.md).
// Steps that need an earlier step's result (the new project's id, its number, a
// RequestTimestamp) stop with a failure naming what is missing when that step failed.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LegacyClient {

public partial class Workflow {
  // Seed data of the simulator.
  const string Program = "PRG0M4A7B2CD";        // "Net Metering"
  const string FormId = "F0RM1A2B3C4D";         // "Interconnection Application"
  const string AttachmentId = "AT1UTILBILL1";   // "Utility Bill"
  const string Unsubmitted = "U5N0B1T2D3AA";
  const string AppReview = "ST8R1V6N3LQA";      // CustomId AppReview
  const string Landing = "http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=" + Program + "&ProjectId=";
  const string CallerEmail = "demo-client@example.com";  // the simulator's identity of our API client
  static readonly string P = "/Programs/" + Program;

  readonly V1Client user_, admin_, wrong_;

  // Carried between steps.
  string project_;              // CreateNewProject's ProjectId
  string number_;               // SubmitProject's ProjectNumber
  DateTime? first_poll_;        // RequestTimestamp of the first GetProjects
  DateTime? last_poll_;         // RequestTimestamp of the latest poll after SubmitProject
  byte[] file_;                 // the uploaded attachment

  public Workflow(V1Client user, V1Client admin, V1Client wrong) {
    user_ = user;
    admin_ = admin;
    wrong_ = wrong;
  }

  public void Run() {
    Check.Step("BadCredentials", BadCredentials);
    Check.Step("GetPrograms", GetPrograms);
    Check.Step("GetForms", GetForms);
    Check.Step("GetProjects", GetProjects);
    Check.Step("PollNothingChanged", PollNothingChanged);
    Check.Step("CreateNewProject", CreateNewProject);
    Check.Step("SetProjectData", SetProjectData);
    Check.Step("SetDotNetDates", SetDotNetDates);
    Check.Step("SetOneInstance", SetOneInstance);
    Check.Step("UploadAttachment", UploadAttachment);
    Check.Step("GetAttachmentMetadata", GetAttachmentMetadata);
    Check.Step("GetActiveAttachment", GetActiveAttachment);
    Check.Step("GetProjectData", GetProjectData);
    Check.Step("SubmitProject", SubmitProject);
    Check.Step("PollChangedSince", PollChangedSince);
    Check.Step("PollChangedSinceDotNetFormat", PollChangedSinceDotNetFormat);
    Check.Step("PollAgainNothingChanged", PollAgainNothingChanged);
    Check.Step("GetProjectsByNumber", GetProjectsByNumber);
    Check.Step("GetAllProjectData", GetAllProjectData);
    Check.Step("GetProjectStatusHistory", GetProjectStatusHistory);
    Check.Step("GetNotesInInquiryThread", GetNotesInInquiryThread);
    Check.Step("NotFound", NotFound);
    Check.Step("WireBehaviour", WireBehaviour);
    Check.Step("RequestIdOnEveryAnswer", RequestIdOnEveryAnswer);
  }

  // ---- helpers --------------------------------------------------------------------------------

  // A 200 XML answer, read by XmlSerializer.
  static T Ok<T>(string call, Reply r) {
    Check.Equal(call + ": HTTP status", 200, r.Status);
    if (r.Status != 200) throw new StepFailure(call + " answered " + r.Status + ": " + Check.Shorten(r.Text));
    Check.True(call + ": Content-Type is XML", r.ContentType.StartsWith("application/xml"), "got \"" + r.ContentType + "\"");
    var value = Xml.Read<T>(r);
    Check.True(call + ": XmlSerializer read " + typeof(T).Name, value != null, "null");
    return value;
  }

  string Project() {
    if (project_ == null) throw new StepFailure("no project id (CreateNewProject failed)");
    return project_;
  }

  static void Near(string what, DateTime t, TimeSpan tolerance) {
    var delta = (t.ToUniversalTime() - DateTime.UtcNow).Duration();
    Check.True(what + " is about now", delta <= tolerance, Check.Show(t) + " is " + delta + " away");
  }

  static ListProject FindProject(ProjectsResponse r, string id) {
    return r.Projects == null ? null : r.Projects.FirstOrDefault(p => p.ProjectId == id);
  }

  // ---- steps: listing and polling ---------------------------------------------------------------

  void BadCredentials() {
    // NetworkCredential: the first request goes without Authorization, the 401 challenge makes
    // HttpWebRequest resend with the (wrong) password, the second 401 reaches the client.
    var r = wrong_.Get(P + "/Projects");
    Check.True("wrong password: GetResponse throws a WebException", r.Threw, "it did not throw");
    Check.Equal("wrong password: ExceptionStatus", WebExceptionStatusName(System.Net.WebExceptionStatus.ProtocolError), WebExceptionStatusName(r.ExceptionStatus));
    Check.Equal("wrong password: HTTP status", 401, r.Status);
    Check.True("wrong password: WWW-Authenticate: Basic", r.Header("WWW-Authenticate").StartsWith("Basic"), "got \"" + r.Header("WWW-Authenticate") + "\"");
  }

  static string WebExceptionStatusName(System.Net.WebExceptionStatus s) { return s.ToString(); }

  void GetPrograms() {
    var r = Ok<ProgramsResponse>("GetPrograms", user_.Get("/Programs"));
    Check.NotNull("ProgramsResponse.Programs", r.Programs);
    var nm = Check.NotNull("Program " + Program, r.Programs.FirstOrDefault(p => p.ProgramId == Program));
    Check.Equal("Program " + Program + " Name", "Net Metering", nm.Name);
    var br = Check.NotNull("Program PRG2B4T5R6YZ", r.Programs.FirstOrDefault(p => p.ProgramId == "PRG2B4T5R6YZ"));
    Check.Equal("Program PRG2B4T5R6YZ Name", "Battery Rebate", br.Name);
  }

  void GetForms() {
    var r = Ok<FormsResponse>("GetForms", user_.Get(P + "/Forms"));
    Check.NotNull("FormsResponse.Forms", r.Forms);
    var f = Check.NotNull("Form " + FormId, r.Forms.FirstOrDefault(x => x.FormId == FormId));
    Check.Equal("Form Title", "Interconnection Application", f.Title);
    Check.Equal("Form ProgramId", Program, f.ProgramId);
    CheckOpenIn(f, "Form " + FormId);
  }

  // The form is available in Unsubmitted and Incomplete, each with the xs:boolean Deleted="false".
  static void CheckOpenIn(Form f, string what) {
    Check.NotNull(what + " AvailableInStatuses", f.AvailableInStatuses);
    var ids = string.Join(",", f.AvailableInStatuses.Select(s => s.StatusId));
    Check.Equal(what + " AvailableInStatuses ids", Unsubmitted + ",NC0M9L3T4E5S", ids);
    var u = f.AvailableInStatuses[0];
    Check.Equal(what + " status " + Unsubmitted + " Name", "Unsubmitted", u.Name);
    Check.True(what + " status Deleted is present", f.AvailableInStatuses.All(s => s.DeletedSpecified), "a Status has no Deleted");
    Check.True(what + " status Deleted = false", f.AvailableInStatuses.All(s => !s.Deleted), "a Status is Deleted");
  }

  void GetProjects() {
    var r = Ok<ProjectsResponse>("GetProjects", user_.Get(P + "/Projects"));
    Check.True("RequestTimestamp present", r.RequestTimestampSpecified, "absent");
    Near("RequestTimestamp", r.RequestTimestamp, TimeSpan.FromMinutes(5));
    first_poll_ = r.RequestTimestamp;
    Check.NotNull("ProjectsResponse.Projects", r.Projects);
    Check.Equal("project ids, in creation order", "PRJ7K2M9Q4XZ,PRJ5S6U7B8M9,PRJ3D4R5F6T7",
                string.Join(",", r.Projects.Select(p => p.ProjectId)));
    var a = Check.NotNull("project PRJ7K2M9Q4XZ", FindProject(r, "PRJ7K2M9Q4XZ"));
    Check.Equal("PRJ7K2M9Q4XZ ProgramId", Program, a.ProgramId);
    Check.Equal("PRJ7K2M9Q4XZ ProjectNumber", "NM-00001", a.ProjectNumber);
    Check.Equal("PRJ7K2M9Q4XZ Status", "Approved", a.Status);
    Check.Equal("PRJ7K2M9Q4XZ StatusPublicId", "AP9R0V3D4XYZ", a.StatusPublicId);
    Check.Equal("PRJ7K2M9Q4XZ StatusCustomId", "Approved", a.StatusCustomId);
    Check.Equal("PRJ7K2M9Q4XZ OwnerEmailAddress", "owner@example.com", a.OwnerEmailAddress);
    Check.True("PRJ7K2M9Q4XZ StatusTimestamp present", a.StatusTimestampSpecified, "absent");
    Check.Equal("PRJ7K2M9Q4XZ LastChangeTimestamp", new DateTimeOffset(2024, 2, 1, 14, 0, 0, TimeSpan.FromHours(-8)).UtcDateTime,
                a.LastChangeTimestamp.ToUniversalTime());
    var d = Check.NotNull("project PRJ3D4R5F6T7", FindProject(r, "PRJ3D4R5F6T7"));
    Check.Equal("PRJ3D4R5F6T7 ProjectNumber (none before the first submit)", null, d.ProjectNumber);
    Check.Equal("PRJ3D4R5F6T7 Status", "Unsubmitted", d.Status);
    Check.Equal("PRJ3D4R5F6T7 StatusPublicId", Unsubmitted, d.StatusPublicId);
  }

  // Polling as the V1 docs describe it: the previous RequestTimestamp fed back as changed_since,
  // here written as DateTime.ToString("o") and put into the query unencoded (its '+' arrives as a
  // space; with TZ=UTC the offset is +00:00).
  void PollNothingChanged() {
    if (first_poll_ == null) throw new StepFailure("no RequestTimestamp (GetProjects failed)");
    var since = first_poll_.Value.ToString("o");
    var r = Ok<ProjectsResponse>("GetProjects?changed_since=" + since, user_.Get(P + "/Projects?changed_since=" + since));
    Check.Equal("projects changed since the last poll", 0, r.Projects == null ? 0 : r.Projects.Length);
    Check.True("RequestTimestamp present", r.RequestTimestampSpecified, "absent");
    Check.True("RequestTimestamp not before the previous one", r.RequestTimestamp >= first_poll_.Value,
               Check.Show(r.RequestTimestamp) + " < " + Check.Show(first_poll_.Value));
  }

  // After the project was created, filled and submitted: only it changed since the first poll.
  void PollChangedSince() {
    if (first_poll_ == null) throw new StepFailure("no RequestTimestamp (GetProjects failed)");
    var since = Uri.EscapeDataString(first_poll_.Value.ToString("o"));
    CheckOnlyNewProject("changed_since=" + since, since);
  }

  // The same poll with the DateTime as .NET prints it by default (invariant culture,
  // "MM/dd/yyyy HH:mm:ss", no offset, whole seconds: mapping.md §3).
  void PollChangedSinceDotNetFormat() {
    if (first_poll_ == null) throw new StepFailure("no RequestTimestamp (GetProjects failed)");
    var shown = first_poll_.Value.ToString(CultureInfo.InvariantCulture);
    CheckOnlyNewProject("changed_since=" + shown, Uri.EscapeDataString(shown));
  }

  void CheckOnlyNewProject(string what, string since) {
    var id = Project();
    var r = Ok<ProjectsResponse>("GetProjects?" + what, user_.Get(P + "/Projects?changed_since=" + since));
    Check.NotNull("ProjectsResponse.Projects", r.Projects);
    Check.Equal("projects changed since the first poll", id, string.Join(",", r.Projects.Select(p => p.ProjectId)));
    var p0 = r.Projects[0];
    Check.Equal("its Status", "Application Review", p0.Status);
    Check.Equal("its StatusPublicId", AppReview, p0.StatusPublicId);
    Check.Equal("its StatusCustomId", "AppReview", p0.StatusCustomId);
    Check.Equal("its OwnerEmailAddress", CallerEmail, p0.OwnerEmailAddress);
    if (number_ != null) Check.Equal("its ProjectNumber", number_, p0.ProjectNumber);
    Check.True("its LastChangeTimestamp is after the first poll", p0.LastChangeTimestampSpecified && p0.LastChangeTimestamp > first_poll_.Value,
               Check.Show(p0.LastChangeTimestamp));
    if (r.RequestTimestampSpecified && number_ != null) last_poll_ = r.RequestTimestamp;
  }

  void PollAgainNothingChanged() {
    if (last_poll_ == null) throw new StepFailure("no RequestTimestamp of a poll after SubmitProject (PollChangedSince failed)");
    var since = Uri.EscapeDataString(last_poll_.Value.ToString("o"));
    var r = Ok<ProjectsResponse>("GetProjects?changed_since=<latest RequestTimestamp>", user_.Get(P + "/Projects?changed_since=" + since));
    Check.Equal("projects changed since the latest poll", 0, r.Projects == null ? 0 : r.Projects.Length);
  }
}

}  // namespace LegacyClient
