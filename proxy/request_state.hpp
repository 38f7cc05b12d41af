#pragma once
// What one V1 request accumulates on its way through the pipeline's steps.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "proxy/access_log.hpp"
#include "proxy/basic_auth.hpp"
#include "proxy/http_server.hpp"
#include "proxy/rate_gate.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/v1_answers.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {

struct request_state {
  // Only the request and its access record are given; every other member starts as below
  // (a constructor, so `request_state st{req, rec}` is not an aggregate left half-initialised).
  request_state(string_request& r, access_record& a) : req(r), rec(a) {}

  string_request& req;
  access_record& rec;
  const translators::route* route = nullptr;
  std::string v2_target;
  std::vector<std::pair<std::string, std::string>> params;  // {ProgramId, ...} from the V1 path
  identity who;
  token_credentials creds;
  std::string api_key;
  std::string token;
  std::string password;                           // the Basic password, only to scrub it from messages
  std::shared_ptr<admission_cancel> cancel = std::make_shared<admission_cancel>();  // client went away
  std::chrono::milliseconds queue_wait{0};        // total time waiting for quota
  int typing_fallbacks = 0;                       // values typed by pattern (no schema known)
  bool native_v2 = false;                         // a migrated client calling /services/v2 directly
  // The V1 error body form (compat error_body), set from the gateway's config on entry.
  translators::error_body_form error_body = translators::error_body_form::xml;
};

// pcbridge's own error answer in the shape the client expects: V1 XML, or problem+json
// for native V2 calls.
inline v1_response error_for(const request_state& st, int status, const std::string& message) {
  return st.native_v2 ? v2_error(status, message, st.rec.request_id)
                      : v1_error(status, message, st.rec.request_id, st.error_body);
}

}  // namespace pcbridge::proxy
