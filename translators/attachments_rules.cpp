// Attachment metadata: GetAttachmentMetadata, SetAttachmentMetadata (mapping.md §4.7), and
// the answer to an upload (SetProjectAttachment).
#include "translators/response_rules.hpp"

namespace pcbridge::translators::rules::family {

namespace {

// Uploader.Email -> UploadedByEmailAddress; Uploader.Name is V2-only (mapping.md §4.4).
constexpr attr_map uploader_[] = {
    {"Email", "UploadedByEmailAddress"},
};

constexpr member_rule metadata_[] = {
    {"/", "AttachmentMetadata", action::keep, {}, expect::object},
    {"AttachmentMetadata", "AttachmentStatus", action::rename, "ApprovalStatus"},  // (M)
    {"AttachmentMetadata", "Uploader", action::flatten, {}, expect::object, uploader_},
};

constexpr method_rules metadata_rules_{{metadata_}};

}  // namespace

const method_rules* attachments(method_id id) {
  switch (id) {
    case method_id::GetAttachmentMetadata:
    case method_id::SetAttachmentMetadata:
    // (I) the upload's V1 answer is undocumented; V2 (as the simulator models it) answers
    // with the attachment's metadata, so the metadata renames apply.
    case method_id::SetProjectAttachment: return &metadata_rules_;
    default: return nullptr;
  }
}

}  // namespace pcbridge::translators::rules::family
