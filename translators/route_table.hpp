#pragma once
// The route table: one row per V1 method (verb, V1 path pattern, V2 path template,
// V1 response root, body kinds, flags). Built once; `match_v1` is a pure function
// from a V1 request line to the V2 target the proxy must call, or a typed failure
// (404 unknown path, 405 wrong verb, 400 bad query) before anything goes upstream.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "method.hpp"
#include "outcome.hpp"

namespace pcbridge::translators {

enum class http_verb { get, post, put, patch, del, head, options, other };

enum class body_kind {
  none,    // no body (a body sent anyway is ignored for requests)
  xml,     // V1 XML <-> V2 JSON through the translators
  binary,  // bytes, streamed unchanged (attachments)
};

// Which form schemas type a method's data-field values (mapping.md §3).
enum class field_typing {
  none,             // the method carries no data-field values
  form_schema,      // one form: the {FormId} of the path (GetProjectData, SetProjectData)
  program_schemas,  // values span forms: every form of {ProgramId} (GetForms + each schema)
};

struct route {
  method_id id;
  http_verb verb;
  std::string_view v1_pattern;        // under /Services.svc/v1, e.g. "Programs/{ProgramId}/Forms"
  std::string_view v2_template;       // under /services/v2, same {names}
  std::string_view v2_admin_template; // used for clients flagged admin; empty = v2_template
  std::string_view v1_response_root;  // e.g. "ProjectDataGetResponse"; empty for binary/empty answers
  body_kind request_body;
  body_kind response_body;
  bool idempotent;                    // safe to retry after it may have reached upstream
  std::string_view unavailable;       // non-empty: V2 has no equivalent, answer 501 with this text
  field_typing typing = field_typing::none;
  // Program metadata (programs, forms, schemas, statuses): answers are shared through the
  // metadata cache for upstream.metadata_cache_ttl_s.
  bool metadata = false;
};

// All rows, in match order. Includes the Generic row last.
std::span<const route> all_routes();
const route& route_for(method_id id);

struct match_options {
  bool admin = false;                       // client entry has admin: true
  std::string default_offset = "+00:00";    // offset added to a bare changed_since date
  bool operator==(const match_options&) const = default;
};

struct route_match {
  const route* matched = nullptr;
  std::vector<std::pair<std::string, std::string>> params;  // {ProgramId, "PROG1"}, raw (still percent-encoded)
  std::string v2_target;   // "/services/v2/..." plus "?query" when any; ready for the request line
};

// `target` is the raw request target ("/Services.svc/v1/Programs/X/Projects?version=2").
// Failures: 404 (path outside /Services.svc/v1 or no such route), 405 (path known, verb not),
// 400 (unparseable changed_since or other bad query value).
outcome<route_match> match_v1(http_verb verb, std::string_view target, const match_options& opts);

// Normalises a V1 changed_since value (already percent-decoded) to the V2 form
// yyyy-MM-ddTHH:mm:ss[.fffffff]zzz (not yet percent-encoded). 400 when unparseable.
outcome<std::string> normalize_changed_since(std::string_view v1_value, std::string_view default_offset);

}  // namespace pcbridge::translators
