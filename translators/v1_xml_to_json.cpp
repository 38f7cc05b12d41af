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

v1_request::v1_request(std::shared_ptr<state> s) : state_(std::move(s)) {}
v1_request::v1_request(v1_request&&) noexcept = default;
v1_request& v1_request::operator=(v1_request&&) noexcept = default;
v1_request::~v1_request() = default;

outcome<v1_request> read_v1_request(method_id method, std::string_view v1_xml, const translate_context& ctx) {
  auto s = std::make_shared<v1_request::state>();
  s->method = method;
  const route& r = route_for(method);
  if (r.request_body == body_kind::none) {
    s->early.emplace(translated{});
  } else if (r.request_body == body_kind::binary) {
    s->early.emplace(translated{std::string(v1_xml)});
  } else if (trim(v1_xml).empty()) {
    // ByNumber's 400 shows the request shape it expects (mapping.md §5), an empty body too.
    if (method == method_id::GetProjectsByNumber) s->early.emplace(projects_by_number(pugi::xml_node{}, ctx));
    else if (body_required(method)) return bad_request(method, "empty request body; V1 XML expected");
    else s->early.emplace(translated{});
  } else {
    auto root = load(method, v1_xml, s->doc, ctx.max_request_xml_nodes);
    if (!root) return root.error();
    s->root = *root;
  }
  return v1_request(std::move(s));
}

outcome<translated> v1_xml_to_json(const v1_request& request, std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx) {
  const v1_request::state& s = request.get();
  if (s.early) return *s.early;
  const method_id method = s.method;
  const pugi::xml_node root = s.root;
  switch (method) {
    case method_id::SetProjectData:
      return set_project_data(method, root, current_v2_json, ctx, current_v2_json ? nullptr : request.share());
    case method_id::GetProjectsByNumber: return projects_by_number(root, ctx);
    case method_id::GetProjectsByData: return projects_by_data(root, ctx);
    case method_id::SetAttachmentMetadata: {
      ojson body = ojson::object();
      for (const char* member : {"AttachmentStatus", "Note"}) {
        if (auto v = field_of(root, member)) body[member] = *v;
      }
      return translated{to_text(body)};
    }
    case method_id::SetProjectOwner: {
      const auto email = field_of(root, "OwnerEmail");
      if (!email) return bad_request(method, "request has no OwnerEmail");
      ojson body = ojson::object();
      body["OwnerEmail"] = std::string(trim(*email));
      return translated{to_text(body)};
    }
    default: return translated{to_text(generic_object(root))};
  }
}

outcome<translated> v1_xml_to_json(method_id method, std::string_view v1_xml,
                                   std::optional<std::string_view> current_v2_json,
                                   const translate_context& ctx) {
  auto request = read_v1_request(method, v1_xml, ctx);
  if (!request) return request.error();
  return v1_xml_to_json(*request, current_v2_json, ctx);
}

}  // namespace pcbridge::translators
