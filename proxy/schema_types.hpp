#pragma once
// The data-field types a request's values are converted by (mapping.md §3), fetched through
// the answer cache: the route says which schemas (route_table.hpp field_typing).
#include <memory>
#include <string>
#include <vector>

#include "proxy/coro.hpp"
#include "proxy/parsed_answers.hpp"
#include "proxy/pipeline.hpp"
#include "proxy/request_state.hpp"
#include "translators/field_types.hpp"

namespace pcbridge::proxy {

// What field_types_for derives from the shared schema and GetForms answers, kept with them
// (parsed_answers.hpp); owned by the app, one per process.
struct parsed_schemas {
  parsed_answers<translators::field_type_map> form_types;          // one GetFormSchema answer
  parsed_answers<std::vector<std::string>> form_ids;               // one GetForms answer
  parsed_answers<translators::field_type_map> merged_types;        // a program's schema answers
};

// form_schema: the path's form schema (one operation per fetch). program_schemas: GetForms
// of the path's program plus each form's schema (one operation each per fetch), merged.
// Null when the route carries no values or no schema can be had: the translators then fall
// back to exact patterns, counted. A form whose schema cannot be had leaves only its own
// fields unknown. With gateway::parsed, each shared answer is parsed (and a program's
// schemas merged) once, not per request.
awaitable<std::shared_ptr<const translators::field_type_map>> field_types_for(const gateway& g, request_state& st);

// The types field_types_for would give from cached answers alone, now: a form_schema route
// whose schema answer is cached (2xx, unexpired). Null otherwise (program_schemas routes
// included: several answers). Fetches and counts nothing, so the pipeline can translate a
// request typed before any token or schema fetch when that costs nothing.
std::shared_ptr<const translators::field_type_map> cached_field_types(const gateway& g, const request_state& st);

}  // namespace pcbridge::proxy
