#include "tools/sim/sim_router.hpp"

namespace pcbridge::sim {

namespace {
struct route {
  std::string_view method;
  std::vector<std::string> pattern;  // "{name}" captures one non-empty segment
  api_handler handler;
};

route make_route(std::string_view method, std::string_view pattern, api_handler handler) {
  route r{method, {}, handler};
  while (true) {
    const auto slash = pattern.find('/');
    r.pattern.emplace_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) return r;
    pattern = pattern.substr(slash + 1);
  }
}

// Built once; match_route() only reads it.
const std::vector<route>& routes() {
  static const std::vector<route> table = [] {
    const auto project = [](std::string_view rest) { return "Programs/{p}/Projects/{id}" + std::string(rest); };
    const auto r = make_route;
    return std::vector<route>{
        r("GET", "Programs", get_programs),
        r("GET", "Programs/{p}/Forms", get_forms),
        r("GET", "Programs/{p}/Forms/{f}/Schema", get_form_schema),
        r("GET", "Programs/{p}/StatusList", get_status_list),
        r("POST", "Programs/{p}/NewProject", create_new_project),
        r("GET", "Programs/{p}/Projects", get_projects),
        r("POST", "Programs/{p}/Projects/ByNumber", get_projects_by_number),
        r("POST", "Programs/{p}/Projects/ByData", get_projects_by_data),
        r("GET", project("/Data"), get_all_project_data),
        r("GET", project("/Forms/{f}/Data"), get_submitted_data),
        r("POST", project("/Forms/{f}/Data"), set_submitted_data),
        r("GET", project("/Forms/{f}/Draft/Data"), get_draft_data),
        r("POST", project("/Forms/{f}/Draft/Data"), set_draft_data),
        r("POST", project("/Forms/{f}/Draft/Submit"), submit_project),
        // v2-api.md §6.14 guesses a /Draft/ upload path; the brief's form-scoped path is the main one.
        r("POST", project("/Forms/{f}/Attachments/{a}"), upload_attachment),
        r("POST", project("/Forms/{f}/Draft/Attachments/{a}"), upload_attachment),
        r("GET", project("/Attachments/{a}"), download_attachment),
        r("GET", project("/Attachments/{a}/Metadata"), get_attachment_metadata),
        r("POST", project("/Attachments/{a}/Metadata"), set_attachment_metadata),
        r("GET", project("/StatusHistory"), get_status_history),
        r("POST", project("/Status/{s}"), set_project_status),
        r("POST", project("/Owner"), set_project_owner),
        r("GET", project("/InquiryThreads"), get_inquiry_threads),
        r("POST", project("/SetInquiryNote"), set_inquiry_note),
        r("GET", "Programs/{p}/InquiryThreads/{t}/Notes", get_inquiry_notes),
        r("POST", "Programs/{p}/InquiryThreads/{t}/Status/{ts}", set_inquiry_thread_status),
        r("POST", "Programs/{p}/InquiryThreads/{t}/ExternalId/{x}", set_inquiry_thread_external_id),
    };
  }();
  return table;
}

bool match(const route& r, const std::vector<std::string>& segments,
           std::map<std::string, std::string, std::less<>>& params) {
  if (r.pattern.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& want = r.pattern[i];
    if (want.starts_with('{')) {
      if (segments[i].empty()) return false;
      params.emplace(std::string(want.substr(1, want.size() - 2)), segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}
}  // namespace

route_match match_route(std::string_view method, const std::vector<std::string>& segments) {
  route_match out;
  std::map<std::string, std::string, std::less<>> params;
  for (const auto& r : routes()) {
    if (!match(r, segments, params)) continue;
    if (r.method == method) {
      out.handler = r.handler;
      out.params = std::move(params);
      return out;
    }
    out.other_method = true;
  }
  return out;
}

}  // namespace pcbridge::sim
