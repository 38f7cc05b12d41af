// Workflow steps: the attachment (upload, metadata, bytes back), submit, lookups after submit,
// the status history, and an error as the client sees it.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace LegacyClient {

public partial class Workflow {
  const int FileSize = 300 * 1024;

  // Deterministic bytes covering 0..255 (a binary file, not text).
  static byte[] MakeFile(int size) {
    var data = new byte[size];
    uint x = 2463534242u;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (byte)(x & 0xFF);
    }
    return data;
  }

  void CheckMetadata(string call, AttachmentMetadata m) {
    Check.Equal(call + ": AttachmentId", AttachmentId, m.AttachmentId);
    Check.Equal(call + ": AttachmentName", "Utility Bill", m.AttachmentName);
    Check.Equal(call + ": FileName", "bill.pdf", m.FileName);
    Check.True(call + ": FileSize present", m.FileSizeSpecified, "absent");
    Check.Equal(call + ": FileSize", (long)FileSize, m.FileSize);
    Check.Equal(call + ": ApprovalStatus", "Pending", m.ApprovalStatus);
    Check.True(call + ": UploadTimestamp present", m.UploadTimestampSpecified, "absent");
    Near(call + ": UploadTimestamp", m.UploadTimestamp, TimeSpan.FromMinutes(5));
    Check.Equal(call + ": UploadedByEmailAddress", CallerEmail, m.UploadedByEmailAddress);
  }

  string AttachmentPath() { return P + "/Projects/" + Project() + "/Attachments/" + AttachmentId; }

  // SetProjectAttachment: the raw file as the body, with Expect: 100-continue and the 401
  // challenge first (issue 8 item 6), Content-Type by file type, the name in Content-Disposition.
  void UploadAttachment() {
    var bytes = MakeFile(FileSize);
    var headers = new Dictionary<string, string> { { "Content-Disposition", "attachment; filename=\"bill.pdf\"" } };
    var r = user_.Send("POST", P + "/Projects/" + Project() + "/Forms/" + FormId + "/Attachments/" + AttachmentId,
                       bytes, "application/pdf", headers);
    var answer = Ok<SetProjectAttachmentResponse>("SetProjectAttachment (" + FileSize + " bytes)", r);
    file_ = bytes;
    CheckMetadata("SetProjectAttachment", Check.NotNull("SetProjectAttachmentResponse.AttachmentMetadata", answer.AttachmentMetadata));
  }

  void GetAttachmentMetadata() {
    if (file_ == null) throw new StepFailure("no attachment was uploaded (UploadAttachment failed)");
    var r = Ok<AttachmentMetadataResponse>("GetAttachmentMetadata", user_.Get(AttachmentPath() + "/Metadata"));
    CheckMetadata("GetAttachmentMetadata", Check.NotNull("AttachmentMetadataResponse.AttachmentMetadata", r.AttachmentMetadata));
  }

  void GetActiveAttachment() {
    if (file_ == null) throw new StepFailure("no attachment was uploaded (UploadAttachment failed)");
    var r = user_.Get(AttachmentPath());
    Check.Equal("GetActiveAttachment: HTTP status", 200, r.Status);
    Check.Equal("GetActiveAttachment: Content-Type", "application/pdf", r.ContentType);
    Check.True("GetActiveAttachment: Content-Disposition names bill.pdf", r.Header("Content-Disposition").Contains("bill.pdf"),
               "got \"" + r.Header("Content-Disposition") + "\"");
    Check.Equal("GetActiveAttachment: byte count", file_.Length, r.Body.Length);
    int first = -1;
    for (int i = 0; i < Math.Min(file_.Length, r.Body.Length) && first < 0; i++)
      if (file_[i] != r.Body[i]) first = i;
    Check.True("GetActiveAttachment: bytes identical", first < 0 && file_.Length == r.Body.Length,
               first >= 0 ? "first difference at byte " + first : "lengths differ");
  }

  void SubmitProject() {
    var r = Ok<ProjectSubmitResponse>("SubmitProject", user_.Post(P + "/Projects/" + Project() + "/Forms/" + FormId + "/Submit"));
    var p = Check.NotNull("ProjectSubmitResponse.Project", r.Project);
    Check.Equal("ProjectId", Project(), p.ProjectId);
    Check.Equal("ProgramId", Program, p.ProgramId);
    Check.True("ProjectNumber assigned (NM-nnnnn)", p.ProjectNumber != null && Regex.IsMatch(p.ProjectNumber, "^NM-[0-9]{5}$"),
               "got " + Check.Show(p.ProjectNumber));
    number_ = p.ProjectNumber;
    Check.Equal("Status", "Application Review", p.Status);
    Check.True("StatusTimestamp present", p.StatusTimestampSpecified, "absent");
    Near("StatusTimestamp", p.StatusTimestamp, TimeSpan.FromMinutes(5));
    Check.True("LastChangeTimestamp present", p.LastChangeTimestampSpecified, "absent");
    // Both readings of the sources: <Url> beside <Project> (V1 sample) and inside it (migration notes).
    Check.Equal("Url beside Project", Landing + Project(), Check.NotNull("ProjectSubmitResponse.Url (beside Project)", r.Url).Value);
    Check.Equal("Url inside Project", Landing + Project(), Check.NotNull("Project.Url (inside Project)", p.Url).Value);
  }

  void GetProjectsByNumber() {
    if (number_ == null) throw new StepFailure("no project number (SubmitProject failed)");
    var request = new ProjectByNumberRequest { ProjectNumbers = new[] { number_, "NM-00001" } };
    var r = Ok<ProjectsResponse>("GetProjectsByNumber", user_.PostXml(P + "/Projects/ByNumber?version=2", request));
    Check.True("RequestTimestamp present", r.RequestTimestampSpecified, "absent");
    Check.NotNull("ProjectsResponse.Projects", r.Projects);
    var ids = string.Join(",", r.Projects.Select(p => p.ProjectId).OrderBy(s => s, StringComparer.Ordinal));
    Check.Equal("projects found", string.Join(",", new[] { Project(), "PRJ7K2M9Q4XZ" }.OrderBy(s => s, StringComparer.Ordinal)), ids);
    var mine = FindProject(r, Project());
    if (mine == null) return;
    Check.Equal("ProjectNumber", number_, mine.ProjectNumber);
    Check.Equal("Status", "Application Review", mine.Status);
    Check.Equal("StatusPublicId", AppReview, mine.StatusPublicId);
    Check.Equal("OwnerEmailAddress", CallerEmail, mine.OwnerEmailAddress);
  }

  // Admin, form-independent: the submitted values (the draft that SubmitProject committed).
  void GetAllProjectData() {
    if (number_ == null) throw new StepFailure("the project was not submitted (SubmitProject failed)");
    var r = Ok<ProjectDataGetResponse>("GetAllProjectData", admin_.Get(P + "/Projects/" + Project() + "/Data"));
    var p = Check.NotNull("ProjectDataGetResponse.Project", r.Project);
    Check.Equal("GetAllProjectData: ProjectNumber", number_, p.ProjectNumber);
    CheckDataProject("GetAllProjectData", p, "Application Review", AppReview, false);
    CheckAttachmentListed(p);
  }

  void GetProjectStatusHistory() {
    if (number_ == null) throw new StepFailure("the project was not submitted (SubmitProject failed)");
    var r = Ok<ProjectStatusHistoryResponse>("GetProjectStatusHistory",
                                             admin_.Get(P + "/Projects/" + Project() + "/StatusHistory?version=2"));
    var p = Check.NotNull("ProjectStatusHistoryResponse.Project", r.Project);
    Check.Equal("ProjectId", Project(), p.ProjectId);
    Check.Equal("ProgramId", Program, p.ProgramId);
    Check.Equal("ProjectNumber", number_, p.ProjectNumber);
    var h = Check.NotNull("Project.StatusHistory", p.StatusHistory);
    Check.Equal("statuses, newest first", AppReview + "," + Unsubmitted, string.Join(",", h.Select(s => s.StatusId)));
    if (h.Length != 2) return;
    Check.Equal("newest Name", "Application Review", h[0].Name);
    Check.Equal("oldest Name", "Unsubmitted", h[1].Name);
    foreach (var s in h) {
      Check.Equal(s.StatusId + " ChangedBy", CallerEmail, s.ChangedBy);
      Check.True(s.StatusId + " Timestamp present", s.TimestampSpecified, "absent");
      Near(s.StatusId + " Timestamp", s.Timestamp, TimeSpan.FromMinutes(5));
    }
    Check.True("newest Timestamp not before the oldest", h[0].Timestamp >= h[1].Timestamp,
               Check.Show(h[0].Timestamp) + " < " + Check.Show(h[1].Timestamp));
  }

  // Admin: the seed thread's notes, IsAdmin as V1's string, dates as MM/dd/yyyy (mapping.md §3).
  void GetNotesInInquiryThread() {
    var r = Ok<InquiryNotesResponse>("GetNotesInInquiryThread", admin_.Get(P + "/InquiryThreads/THR1A2B3C4D5/Notes"));
    var notes = Check.NotNull("InquiryNotesResponse.Notes", r.Notes);
    Check.Equal("note ids", "NTE1A2B3C4D5,NTE2E3F4G5H6", string.Join(",", notes.Select(n => n.NoteId)));
    if (notes.Length != 2) return;
    Check.Equal("first note Text", "Please upload the utility bill.", notes[0].Text);
    Check.Equal("first note CreatedBy", "reviewer@example.com", notes[0].CreatedBy);
    Check.Equal("first note IsAdmin", "True", notes[0].IsAdmin);
    Check.Equal("first note CreatedDate", "03/06/2024", notes[0].CreatedDate);
    Check.Equal("second note Text", "Uploading it this week.", notes[1].Text);
    Check.Equal("second note IsAdmin", "False", notes[1].IsAdmin);
    Check.Equal("second note CreatedDate", "03/07/2024", notes[1].CreatedDate);
  }

  // An unknown project: HttpWebRequest throws a WebException (ProtocolError) whose Response is
  // the 404 with a V1 Error body the client can read.
  void NotFound() {
    var r = user_.Get(P + "/Projects/PRJNOSUCH0000/Forms/" + FormId + "/Data");
    Check.True("GetResponse throws a WebException", r.Threw, "it did not throw");
    Check.Equal("ExceptionStatus", "ProtocolError", r.ExceptionStatus.ToString());
    Check.Equal("HTTP status", 404, r.Status);
    Check.True("Content-Type is XML", r.ContentType.StartsWith("application/xml"), "got \"" + r.ContentType + "\"");
    var e = Xml.Read<Error>(r);
    Check.True("Error Status present", e.StatusSpecified, "absent");
    Check.Equal("Error Status", 404, e.Status);
    Check.True("Error Message present", !string.IsNullOrEmpty(e.Message), "empty");
    Check.True("Error RequestId present", !string.IsNullOrEmpty(e.RequestId), "empty");
    Check.Equal("Error RequestId = X-Request-Id", r.Header("X-Request-Id"), e.RequestId);
  }
}

}  // namespace LegacyClient
