// The V1 shapes as xsd.exe would have generated them from the V1 XSDs (v1-api.md, mapping.md §3,
// §4): public fields, every element in the V1 namespace (elementFormDefault="qualified"),
// attributes unqualified, xs:boolean -> bool, xs:dateTime -> DateTime, xs:long/xs:int -> long/int,
// optional value-typed attributes with their generated `...Specified` companion. XmlSerializer
// reads these exactly as a legacy client does: "True" in a bool throws, an unknown attribute or
// element is ignored, a missing or misplaced one reads as null / default (Specified == false).
using System;
using System.Xml.Serialization;

namespace LegacyClient {

public static class V1 {
  public const string Ns = "http://service.powerclerk.com/api/v1/";
}

// <Url Value="..."/> (v1-api.md §2.5).
[XmlType(Namespace = V1.Ns)]
public class UrlElement {
  [XmlAttribute] public string Value;
}

// ---- GetPrograms / GetForms ----------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProgramsResponse {
  [XmlArrayItem("Program", IsNullable = false)] public Program[] Programs;
}

[XmlType(Namespace = V1.Ns)]
public class Program {
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string CustomId;
  [XmlAttribute] public string Name;
}

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class FormsResponse {
  [XmlArrayItem("Form", IsNullable = false)] public Form[] Forms;
}

[XmlType(Namespace = V1.Ns)]
public class Form {
  [XmlAttribute] public string FormId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string Title;
  [XmlArrayItem("Status", IsNullable = false)] public FormStatus[] AvailableInStatuses;
}

[XmlType(Namespace = V1.Ns)]
public class FormStatus {
  [XmlAttribute] public string StatusId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public bool Deleted;  // xs:boolean (mapping.md §3)
  [XmlIgnore] public bool DeletedSpecified;
}

// ---- GetProjects / ByNumber ----------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectsResponse {
  [XmlArrayItem("Project", IsNullable = false)] public ListProject[] Projects;
  [XmlAttribute] public DateTime RequestTimestamp;
  [XmlIgnore] public bool RequestTimestampSpecified;
}

[XmlType(Namespace = V1.Ns)]
public class ListProject {
  public UrlElement Url;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string ProjectNumber;
  [XmlAttribute] public string Status;
  [XmlAttribute] public DateTime StatusTimestamp;
  [XmlIgnore] public bool StatusTimestampSpecified;
  [XmlAttribute] public DateTime LastChangeTimestamp;
  [XmlIgnore] public bool LastChangeTimestampSpecified;
  [XmlAttribute] public string OwnerEmailAddress;
  [XmlAttribute] public string StatusCustomId;
  [XmlAttribute] public string StatusPublicId;
}

// ProjectByNumberRequest (v1-api.md §3.5, I).
[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectByNumberRequest {
  [XmlArrayItem("ProjectNumber", IsNullable = false)] public string[] ProjectNumbers;
}

// ---- CreateNewProject ----------------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class NewProjectResponse {
  public NewProject Project;
}

[XmlType(Namespace = V1.Ns)]
public class NewProject {
  public UrlElement Url;
  [XmlArrayItem("Form", IsNullable = false)] public Form[] Forms;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string Status;
  [XmlAttribute] public DateTime StatusTimestamp;
  [XmlIgnore] public bool StatusTimestampSpecified;
}

// ---- SetProjectData request ----------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectDataRequest {
  public RequestProject Project;
}

[XmlType(Namespace = V1.Ns)]
public class RequestProject {
  [XmlArrayItem("DataField", IsNullable = false)] public RequestDataField[] DataFields;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string FormId;
}

[XmlType(Namespace = V1.Ns)]
public class RequestDataField {
  [XmlAttribute] public string DataFieldId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public string Value;
  [XmlAttribute] public int Instance;
  [XmlIgnore] public bool InstanceSpecified;
}

// ---- Data methods: GetProjectData, SetProjectData, GetAllProjectData -----------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectDataGetResponse {
  public DataProject Project;
}

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectDataSetResponse {
  public DataProject Project;
}

[XmlType(Namespace = V1.Ns)]
public class DataProject {
  public UrlElement Url;
  public DataCurrentStatus CurrentStatus;  // a child element on data methods (mapping.md §4 rule 3)
  [XmlArrayItem("DataField", IsNullable = false)] public DataField[] DataFields;
  [XmlArrayItem("Attachment", IsNullable = false)] public DataAttachment[] Attachments;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string ProjectNumber;
  [XmlAttribute] public bool CanSubmit;  // xs:boolean
  [XmlIgnore] public bool CanSubmitSpecified;
}

[XmlType(Namespace = V1.Ns)]
public class DataCurrentStatus {
  [XmlAttribute] public string StatusId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public DateTime Timestamp;
  [XmlIgnore] public bool TimestampSpecified;
}

[XmlType(Namespace = V1.Ns)]
public class DataField {
  [XmlAttribute] public string DataFieldId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public string Value;  // data-field values are strings: "True", "10/28/2024"
  [XmlAttribute] public int Instance;
  [XmlIgnore] public bool InstanceSpecified;
}

[XmlType(Namespace = V1.Ns)]
public class DataAttachment {
  [XmlAttribute] public string AttachmentId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public string FileName;
}

// ---- Attachments ---------------------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class AttachmentMetadataResponse {
  public AttachmentMetadata AttachmentMetadata;
}

// The upload's answer: root inferred by pcbridge (tests/golden/SetProjectAttachment NOTE).
[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class SetProjectAttachmentResponse {
  public AttachmentMetadata AttachmentMetadata;
}

[XmlType(Namespace = V1.Ns)]
public class AttachmentMetadata {
  [XmlAttribute] public string AttachmentId;
  [XmlAttribute] public string AttachmentName;
  [XmlAttribute] public string FileName;
  [XmlAttribute] public long FileSize;
  [XmlIgnore] public bool FileSizeSpecified;
  [XmlAttribute] public string ApprovalStatus;
  [XmlAttribute] public string Note;
  [XmlAttribute] public DateTime UploadTimestamp;
  [XmlIgnore] public bool UploadTimestampSpecified;
  [XmlAttribute] public string UploadedByEmailAddress;
}

// ---- SubmitProject -------------------------------------------------------------------------

// The V1 sample has <Url> beside <Project>, the migration notes inside it: a client built on
// either reads its own (mapping.md §4 rules 3 and 8).
[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectSubmitResponse {
  public SubmitProject Project;
  public UrlElement Url;
}

[XmlType(Namespace = V1.Ns)]
public class SubmitProject {
  public UrlElement Url;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string ProjectNumber;
  [XmlAttribute] public string Status;
  [XmlAttribute] public DateTime StatusTimestamp;
  [XmlIgnore] public bool StatusTimestampSpecified;
  [XmlAttribute] public DateTime LastChangeTimestamp;
  [XmlIgnore] public bool LastChangeTimestampSpecified;
}

// ---- GetProjectStatusHistory ---------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class ProjectStatusHistoryResponse {
  public HistoryProject Project;
}

[XmlType(Namespace = V1.Ns)]
public class HistoryProject {
  [XmlArrayItem("Status", IsNullable = false)] public HistoryStatus[] StatusHistory;
  [XmlAttribute] public string ProjectId;
  [XmlAttribute] public string ProgramId;
  [XmlAttribute] public string ProjectNumber;
}

[XmlType(Namespace = V1.Ns)]
public class HistoryStatus {
  [XmlAttribute] public string StatusId;
  [XmlAttribute] public string Name;
  [XmlAttribute] public string ChangedBy;
  [XmlAttribute] public DateTime Timestamp;
  [XmlIgnore] public bool TimestampSpecified;
}

// ---- GetNotesInInquiryThread ---------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class InquiryNotesResponse {
  [XmlArrayItem("Note", IsNullable = false)] public InquiryNote[] Notes;
}

[XmlType(Namespace = V1.Ns)]
public class InquiryNote {
  [XmlAttribute] public string NoteId;
  [XmlAttribute] public string Text;
  [XmlAttribute] public string CreatedBy;
  [XmlAttribute] public string IsAdmin;      // a string in V1 ("True"/"False"): the migration notes
  [XmlAttribute] public string CreatedDate;  // MM/dd/yyyy, not an xs:dateTime
}

// ---- Errors (mapping.md §7) ----------------------------------------------------------------

[XmlRoot(Namespace = V1.Ns, IsNullable = false)]
public class Error {
  [XmlAttribute] public int Status;
  [XmlIgnore] public bool StatusSpecified;
  [XmlAttribute] public string Message;
  [XmlAttribute] public string RequestId;
}

}  // namespace LegacyClient
