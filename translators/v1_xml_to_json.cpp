#include "translators/v1_xml_to_json.hpp"

#include <pugixml.hpp>
#include <string>

#include "translators/route_table.hpp"
#include "translators/v1_xml_jobs.hpp"
#include "translators/v1_xml_read.hpp"

namespace pcbridge::translators {

namespace {

using namespace v1_xml;

// Methods whose V1 request must have a body (mapping.md §5); others may send none.
// (I) v1-api.md §3.26-30: SetInquiryThreadStatus/ExternalId bodies are "unknown/none", so they
// are not listed.
bool body_required(method_id m) {
  switch (m) {
    case method_id::SetProjectData:
    case method_id::GetProjectsByNumber:
    case method_id::GetProjectsByData:
    case method_id::SetAttachmentMetadata:
    case method_id::SetProjectOwner:
    case method_id::SetInquiryNote:
    case method_id::SetProjectStatusReportAs:
    case method_id::SetAssignee:
    case method_id::CreateMfaSessionToken: return true;
    default: return false;
  }
}

}  // namespace

outcome<translated> v1_xml_to_json(method_id method, std::string_view v1_xml,
                                   std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx) {
  const route& r = route_for(method);
  if (r.request_body == body_kind::none) return translated{};
  if (r.request_body == body_kind::binary) return translated{std::string(v1_xml)};
  if (trim(v1_xml).empty()) {
    // ByNumber's 400 shows the request shape it expects (mapping.md §5), an empty body too.
    if (method == method_id::GetProjectsByNumber) return projects_by_number(pugi::xml_node{}, ctx);
    if (body_required(method)) return bad_request(method, "empty request body; V1 XML expected");
    return translated{};
  }
  pugi::xml_document doc;
  auto root = load(method, v1_xml, doc, ctx.max_request_xml_nodes);
  if (!root) return root.error();

  switch (method) {
    case method_id::SetProjectData: return set_project_data(method, *root, current_v2_json, ctx);
    case method_id::GetProjectsByNumber: return projects_by_number(*root, ctx);
    case method_id::GetProjectsByData: return projects_by_data(*root, ctx);
    case method_id::SetAttachmentMetadata: {
      ojson body = ojson::object();
      for (const char* member : {"AttachmentStatus", "Note"}) {
        if (auto v = field_of(*root, member)) body[member] = *v;
      }
      return translated{to_text(body)};
    }
    case method_id::SetProjectOwner: {
      const auto email = field_of(*root, "OwnerEmail");
      if (!email) return bad_request(method, "request has no OwnerEmail");
      ojson body = ojson::object();
      body["OwnerEmail"] = std::string(trim(*email));
      return translated{to_text(body)};
    }
    default: return translated{to_text(generic_object(*root))};
  }
}

}  // namespace pcbridge::translators
