// Workflow steps: a new project and its data, written and read back value by value.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LegacyClient {

public partial class Workflow {
  // One expected data-field value; Instance null = a single-instance field (no Instance attribute).
  class Expected {
    public string Id, Name, Value;
    public int? Instance;
    public Expected(string id, string name, string value, int? instance = null) {
      Id = id; Name = name; Value = value; Instance = instance;
    }
  }

  // What the draft holds after SetProjectData and SetOneInstance, as V1 shows it (mapping.md §3:
  // dates MM/dd/yyyy, booleans True/False, a Text field that looks like a date left alone).
  List<Expected> expected_ = new List<Expected>();

  static string DataPath(string project) { return P + "/Projects/" + project + "/Forms/" + FormId + "/Data"; }

  void CreateNewProject() {
    var reply = user_.Post(P + "/NewProject");
    NewProjectResponse r;
    try {
      r = Ok<NewProjectResponse>("CreateNewProject", reply);
    } catch (StepFailure) {
      if (reply.Status == 200) FindCreatedProject();
      throw;
    }
    var p = Check.NotNull("NewProjectResponse.Project", r.Project);
    Check.True("ProjectId present", !string.IsNullOrEmpty(p.ProjectId), "empty");
    project_ = p.ProjectId;
    Check.Equal("ProgramId", Program, p.ProgramId);
    Check.Equal("Status", "Unsubmitted", p.Status);
    Check.True("StatusTimestamp present", p.StatusTimestampSpecified, "absent");
    Near("StatusTimestamp", p.StatusTimestamp, TimeSpan.FromMinutes(5));
    Check.Equal("Url Value", Landing + project_, Check.NotNull("Project.Url", p.Url).Value);
    Check.NotNull("Project.Forms", p.Forms);
    var f = Check.NotNull("Form " + FormId, p.Forms.FirstOrDefault(x => x.FormId == FormId));
    Check.Equal("Form Title", "Interconnection Application", f.Title);
    CheckOpenIn(f, "Form " + FormId);
  }

  // The project was created but its answer could not be read: find it as a polling client
  // would (the one project changed since the first poll), so that the later steps still test
  // their own methods. This step stays failed.
  void FindCreatedProject() {
    if (first_poll_ == null) return;
    var r = user_.Get(P + "/Projects?changed_since=" + Uri.EscapeDataString(first_poll_.Value.ToString("o")));
    if (r.Status != 200) return;
    try {
      var list = Xml.Read<ProjectsResponse>(r);
      if (list.Projects != null && list.Projects.Length == 1) {
        project_ = list.Projects[0].ProjectId;
        Console.WriteLine("   note: continuing with project " + project_ + ", found by polling GetProjects");
      }
    } catch (StepFailure) {
    }
  }

  static RequestDataField Field(string id, string name, string value, int? instance = null) {
    var f = new RequestDataField { DataFieldId = id, Name = name, Value = value };
    if (instance != null) {
      f.Instance = instance.Value;
      f.InstanceSpecified = true;
    }
    return f;
  }

  ProjectDataRequest Request(params RequestDataField[] fields) {
    return new ProjectDataRequest {
      Project = new RequestProject { ProjectId = Project(), FormId = FormId, DataFields = fields }
    };
  }

  // Values as a .NET client wrote them: a date from DateTime.ToString("yyyy-MM-dd") as in the V1
  // sample and one as M/d/yyyy, a boolean from bool.ToString() ("True"), ampersands and angle
  // brackets escaped by XmlSerializer, two instances of a multi-instance field.
  void SetProjectData() {
    var request = Request(
        Field("DF0CUSTNAME1", "Customer name", "Casey & Kim"),
        Field("DF2SYSSIZE02", "System size (kW)", "7.5"),
        Field("DF4UTILITY04", "Utility", "City Light"),
        Field("DF5INSPDATE5", "Inspection date", new DateTime(2024, 10, 28).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Field("DF1BATTERY01", "Has battery", true.ToString()),
        Field("DF3DATES0003", "Install dates", "2024-11-03", 0),
        Field("DF3DATES0003", "Install dates", "11/5/2024", 1),
        Field("DF6PREFDATE6", "Preferred install date", "01/02/2024"),
        Field("DF7METERNO07", "Meter number", "A&B <77>"));
    expected_ = new List<Expected> {
      new Expected("DF0CUSTNAME1", "Customer name", "Casey & Kim"),
      new Expected("DF2SYSSIZE02", "System size (kW)", "7.5"),
      new Expected("DF4UTILITY04", "Utility", "City Light"),
      new Expected("DF5INSPDATE5", "Inspection date", "10/28/2024"),
      new Expected("DF1BATTERY01", "Has battery", "True"),
      new Expected("DF3DATES0003", "Install dates", "11/03/2024", 0),
      new Expected("DF3DATES0003", "Install dates", "11/05/2024", 1),
      new Expected("DF6PREFDATE6", "Preferred install date", "01/02/2024"),
      new Expected("DF7METERNO07", "Meter number", "A&B <77>"),
    };
    var r = Ok<ProjectDataSetResponse>("SetProjectData", user_.PostXml(DataPath(Project()), request));
    CheckDataProject("SetProjectData", Check.NotNull("ProjectDataSetResponse.Project", r.Project), "Unsubmitted", Unsubmitted);
  }

  // Dates as DateTime.ToString() prints them (invariant "MM/dd/yyyy HH:mm:ss", and the en-US
  // "M/d/yyyy h:mm:ss tt"): mapping.md §3 takes the date part.
  void SetDotNetDates() {
    var inspection = new DateTime(2024, 10, 29);
    var request = Request(
        Field("DF5INSPDATE5", "Inspection date", inspection.ToString(CultureInfo.InvariantCulture)),
        Field("DF3DATES0003", "Install dates", new DateTime(2024, 11, 4).ToString(new CultureInfo("en-US")), 0));
    Check.Equal("sent Inspection date", "10/29/2024 00:00:00", request.Project.DataFields[0].Value);
    Check.Equal("sent Install dates[0]", "11/4/2024 12:00:00 AM", request.Project.DataFields[1].Value);
    var reply = user_.PostXml(DataPath(Project()), request);
    if (reply.Status == 200) {  // accepted: the draft holds these now (a refused write changed nothing)
      foreach (var e in expected_) {
        if (e.Id == "DF5INSPDATE5") e.Value = "10/29/2024";
        if (e.Id == "DF3DATES0003" && e.Instance == 0) e.Value = "11/04/2024";
      }
    }
    var r = Ok<ProjectDataSetResponse>("SetProjectData (.NET dates)", reply);
    CheckDataProject("SetProjectData (.NET dates)", Check.NotNull("ProjectDataSetResponse.Project", r.Project), "Unsubmitted", Unsubmitted);
  }

  // V1 addressed instances one by one: writing instance 1 alone keeps instance 0 (mapping.md §5).
  void SetOneInstance() {
    var request = Request(Field("DF3DATES0003", "Install dates", "12/24/2024", 1));
    var reply = user_.PostXml(DataPath(Project()), request);
    if (reply.Status == 200)
      foreach (var e in expected_.Where(e => e.Id == "DF3DATES0003" && e.Instance == 1)) e.Value = "12/24/2024";
    var r = Ok<ProjectDataSetResponse>("SetProjectData (instance 1 only)", reply);
    CheckDataProject("SetProjectData (instance 1 only)", Check.NotNull("ProjectDataSetResponse.Project", r.Project), "Unsubmitted", Unsubmitted);
  }

  void GetProjectData() {
    var r = Ok<ProjectDataGetResponse>("GetProjectData", user_.Get(DataPath(Project())));
    var p = Check.NotNull("ProjectDataGetResponse.Project", r.Project);
    CheckDataProject("GetProjectData", p, "Unsubmitted", Unsubmitted);
    CheckAttachmentListed(p);
  }

  void CheckAttachmentListed(DataProject p) {
    if (file_ == null) throw new StepFailure("no attachment was uploaded (UploadAttachment failed)");
    Check.NotNull("Project.Attachments", p.Attachments);
    var a = Check.NotNull("Attachment " + AttachmentId, p.Attachments.FirstOrDefault(x => x.AttachmentId == AttachmentId));
    Check.Equal("Attachment Name", "Utility Bill", a.Name);
    Check.Equal("Attachment FileName", "bill.pdf", a.FileName);
  }

  // A data method's Project: ids, Url child, CurrentStatus child element, CanSubmit (on the
  // form-scoped methods), and every expected value with its Name and Instance, nothing more.
  void CheckDataProject(string call, DataProject p, string status, string statusId, bool formScoped = true) {
    Check.Equal(call + ": ProjectId", Project(), p.ProjectId);
    Check.Equal(call + ": ProgramId", Program, p.ProgramId);
    Check.Equal(call + ": Url Value", Landing + Project(), Check.NotNull("Project.Url", p.Url).Value);
    var cs = p.CurrentStatus;
    Check.True(call + ": Project has a CurrentStatus element", cs != null, "null (missing, or not where the V1 shape has it)");
    if (cs != null) {
      Check.Equal(call + ": CurrentStatus Name", status, cs.Name);
      Check.Equal(call + ": CurrentStatus StatusId", statusId, cs.StatusId);
      Check.True(call + ": CurrentStatus Timestamp present", cs.TimestampSpecified, "absent");
      Near(call + ": CurrentStatus Timestamp", cs.Timestamp, TimeSpan.FromMinutes(5));
    }
    if (formScoped) {
      Check.True(call + ": CanSubmit present", p.CanSubmitSpecified, "absent");
      Check.Equal(call + ": CanSubmit", status == "Unsubmitted", p.CanSubmit);
    }
    Check.NotNull(call + ": Project.DataFields", p.DataFields);
    foreach (var e in expected_) {
      var what = call + ": " + e.Id + (e.Instance == null ? "" : "[" + e.Instance + "]");
      var matches = p.DataFields.Where(f => f.DataFieldId == e.Id &&
                                            (e.Instance == null ? !f.InstanceSpecified : f.InstanceSpecified && f.Instance == e.Instance)).ToList();
      if (matches.Count != 1) {
        Check.True(what + " present once", false, matches.Count + " matching DataField elements");
        continue;
      }
      Check.Equal(what + " Value", e.Value, matches[0].Value);
      Check.Equal(what + " Name", e.Name, matches[0].Name);
    }
    var instances = p.DataFields.Count(f => f.DataFieldId == "DF3DATES0003");
    Check.Equal(call + ": DF3DATES0003 instance count", 2, instances);
  }
}

}  // namespace LegacyClient
