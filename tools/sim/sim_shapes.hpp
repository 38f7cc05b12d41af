#pragma once
// Every inferred ([I] in /work/shared/reference/v2-api.md) wire choice the simulator makes,
// in one place. The [C] shapes (GetProjects, GetProjectData, SetProjectData, SubmitProject,
// CreateNewProject, SetProjectOwner) are written literally in the renderers; everything
// here was guessed and should be corrected here, and only here, when a real V2 trace
// shows otherwise. The section numbers refer to v2-api.md.
#include <string_view>

namespace pcbridge::sim::shapes {

// §2.6: V2 samples render timestamps with a Pacific offset. The sim uses one fixed offset
// (no daylight saving) so that answers are deterministic.
inline constexpr int display_offset_minutes = -8 * 60;

// §3.3 / §6.8: URLs the service hands out. Only their shape matters to clients.
inline constexpr std::string_view landing_page_url = "http://yourprogram.powerclerk.com/MvcProjects/LandingPage";
inline constexpr std::string_view project_list_url = "http://yourprogram.powerclerk.com/Projects/ProjectList";

// §2.3 token endpoint: standard OAuth 2.0 bodies.
inline constexpr std::string_view token_type = "Bearer";
inline constexpr std::string_view error_invalid_client = "invalid_client";
inline constexpr std::string_view error_unsupported_grant = "unsupported_grant_type";
inline constexpr std::string_view error_invalid_request = "invalid_request";
inline constexpr std::string_view error_server = "server_error";

// §2.9 error bodies: ASP.NET Core problem details, {"title","status"}.
inline constexpr std::string_view problem_content_type = "application/problem+json";

// §6.1 GetPrograms: {"Programs":[{"ProgramId","Name"}]}.
inline constexpr std::string_view programs_list = "Programs";

// §6.2 GetForms: {"Forms":[form entry §3.6]}.
inline constexpr std::string_view forms_list = "Forms";

// §6.3 GetFormSchema: {"FormSchema":{FormId,CustomId,Name,AvailableInStatuses,DataFields,Attachments}};
// per field DataFieldId, CustomId, Name, Type, then Properties{Min,Max} / Choices only when
// set, and "MultiInstance":true only on multi-instance fields.
inline constexpr std::string_view form_schema = "FormSchema";
inline constexpr std::string_view field_type = "Type";
inline constexpr std::string_view field_properties = "Properties";
inline constexpr std::string_view field_min = "Min";
inline constexpr std::string_view field_max = "Max";
inline constexpr std::string_view field_choices = "Choices";
inline constexpr std::string_view field_multi_instance = "MultiInstance";
inline constexpr std::string_view type_text = "Text";
inline constexpr std::string_view type_date = "Date";
inline constexpr std::string_view type_boolean = "Boolean";
inline constexpr std::string_view type_number = "Number";
inline constexpr std::string_view type_choice = "Choice";

// §6.4 GetProjectByNumber request: {"ProjectNumbers":["NM-00001",...]}; answer as GetProjects.
inline constexpr std::string_view by_number_list = "ProjectNumbers";

// §6.5 GetProjectsByData request, V1 names carried into JSON, lists as arrays:
// {"FilterByCurrentStatuses":{"Operation","Status":[{"Id"}]},
//  "FilterByStatusDate":{"Id","DateTime","Operator"},
//  "DataFields":[{"Id","Content","Operator"}]}   (the list is DataFields itself, as the
//  translators send it: mapping.md §5 "lists as arrays")
inline constexpr std::string_view by_data_statuses = "FilterByCurrentStatuses";
inline constexpr std::string_view by_data_operation = "Operation";
inline constexpr std::string_view by_data_status_list = "Status";
inline constexpr std::string_view by_data_status_date = "FilterByStatusDate";
inline constexpr std::string_view by_data_date_time = "DateTime";
inline constexpr std::string_view by_data_fields = "DataFields";
inline constexpr std::string_view by_data_id = "Id";
inline constexpr std::string_view by_data_content = "Content";
inline constexpr std::string_view by_data_operator = "Operator";

// §5.3: a sensitive value read without reveal_sensitive_data=true (plus an MFA header).
inline constexpr std::string_view sensitive_mask = "********";

// §6.7 GetProjectStatusHistory:
// {"Project":{"ProjectId","ProgramId","ProjectNumber","StatusHistory":[{"StatusId","Name","ChangedBy","ReportAsChangedBy","Timestamp"}]}}
inline constexpr std::string_view status_history = "StatusHistory";
inline constexpr std::string_view changed_by = "ChangedBy";
inline constexpr std::string_view report_as_changed_by = "ReportAsChangedBy";

// §6.8 SetProjectStatus: {"Status":{"StatusId","CustomId","Name","Timestamp"},"Url":"..."}; the
// V1 sample's timestamp carries 7 fraction digits, so this one does too.
inline constexpr std::string_view set_status_status = "Status";
inline constexpr std::string_view set_status_url = "Url";
inline constexpr std::string_view auto_communication = "AutoCommunication";

// §6.9/§6.10 attachment metadata: {"AttachmentMetadata":{AttachmentId,AttachmentName,FileName,
// FileSize (number),AttachmentStatus,Note,UploadTimestamp,Uploader{Name,Email}}}; nulls before any upload.
// The upload (§6.14, body unknown) answers the same object.
inline constexpr std::string_view attachment_metadata = "AttachmentMetadata";
inline constexpr std::string_view attachment_name = "AttachmentName";
inline constexpr std::string_view file_size = "FileSize";
inline constexpr std::string_view attachment_status = "AttachmentStatus";
inline constexpr std::string_view attachment_note = "Note";
inline constexpr std::string_view upload_timestamp = "UploadTimestamp";
inline constexpr std::string_view uploader = "Uploader";
inline constexpr std::string_view status_approved = "Approved";
inline constexpr std::string_view status_rejected = "Rejected";
inline constexpr std::string_view status_pending = "Pending";
// Request verbs (V1 values, §6.10).
inline constexpr std::string_view verb_approve = "Approve";
inline constexpr std::string_view verb_reject = "Reject";
inline constexpr std::string_view verb_unmark = "Unmark";
inline constexpr std::string_view verb_save = "Save";
// §6.14: the upload route. The sim accepts the form-scoped path and its /Draft/ variant.
inline constexpr std::string_view default_upload_content_type = "application/octet-stream";
inline constexpr std::string_view default_upload_file_name = "upload.bin";

// §6.11 GetStatusList: {"Statuses":[{"StatusId","CustomId","Name"}]}.
inline constexpr std::string_view statuses_list = "Statuses";

// §6.12 inquiry threads and notes; dates yyyy-MM-ddTHH:mm:sszz (offset hours only).
// Thread: {"ThreadId","ProjectId","ExternalId","Subject","Status","CreatedBy","CreatedDate","LastNoteDate"}
// Note:   {"NoteId","ThreadId","Text","CreatedBy","IsAdmin","CreatedDate"}
// GetInquiryThreads → {"InquiryThreads":[thread]}; GetNotesInInquiryThread → {"Notes":[note]};
// SetInquiryNote request {"ThreadId"?,"Subject"?,"Text","IsAdmin"?} → {"Note":note} (no ThreadId
// opens a new thread); SetInquiryThreadStatus / ExternalId → {"InquiryThread":thread}.
inline constexpr std::string_view inquiry_threads = "InquiryThreads";
inline constexpr std::string_view inquiry_thread = "InquiryThread";
inline constexpr std::string_view inquiry_notes = "Notes";
inline constexpr std::string_view inquiry_note = "Note";
inline constexpr std::string_view thread_id = "ThreadId";
inline constexpr std::string_view thread_external_id = "ExternalId";
inline constexpr std::string_view thread_subject = "Subject";
inline constexpr std::string_view thread_status = "Status";
inline constexpr std::string_view thread_created_by = "CreatedBy";
inline constexpr std::string_view thread_created_date = "CreatedDate";
inline constexpr std::string_view thread_last_note_date = "LastNoteDate";
inline constexpr std::string_view note_id = "NoteId";
inline constexpr std::string_view note_text = "Text";
inline constexpr std::string_view note_is_admin = "IsAdmin";
inline constexpr std::string_view thread_open = "Open";
inline constexpr std::string_view thread_closed = "Closed";
inline constexpr std::string_view default_thread_subject = "Inquiry";

}  // namespace pcbridge::sim::shapes
