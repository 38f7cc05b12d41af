#pragma once
// Entry points of the V1 <-> V2 body translators. Pure functions over bytes: no I/O, no
// clock. A failure is 400 for bad V1 input and 502 for a V2 answer that cannot be
// translated (the message names the method and the field); never a partial document.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compat_profile.hpp"
#include "field_types.hpp"
#include "method.hpp"
#include "outcome.hpp"

namespace pcbridge::translators {

inline constexpr std::string_view v1_namespace = "http://service.powerclerk.com/api/v1/";

// Generous for V1 bodies (a 500-field SetProjectData is ~1,500 nodes); translating this many
// nodes takes tens of milliseconds.
inline constexpr std::size_t default_max_request_xml_nodes = 200000;

struct translate_context {
  // Types of the form's (or program's) data fields; null means "not known": exact-pattern
  // fallback (field_types.hpp).
  const field_type_map* types = nullptr;
  // Work budget of one V1 request body (issue 8): elements + attributes. Beyond it the body is
  // a 413 before any translation, so no single request holds the event loop for long.
  std::size_t max_request_xml_nodes = default_max_request_xml_nodes;
  // The configuration's compatibility profile; null means mapping.md's defaults.
  const compat_profile* compat = nullptr;

  const compat_profile& profile() const { return compat ? *compat : default_compat_profile(); }
};

// The fields of a partial multi-instance SetProjectData, grouped and typed, waiting for the
// current data (v1_xml_project_data.cpp). Opaque; it keeps its parsed request alive.
struct pending_write;

struct translated {
  std::string body;              // V1 XML (responses) or V2 JSON (requests)
  int typing_fallbacks = 0;      // values typed by pattern because no schema was known
  // Requests only: SetProjectData wrote a partial instance set; the proxy must read the
  // current data (GET of the same V2 path) and call v1_request_to_v2_with_current.
  // `body` is empty when this is set.
  bool needs_current_data = false;
  // With needs_current_data, from the v1_request overload: the step so far, for the overload
  // of v1_request_to_v2_with_current that takes it (the XML is not read again).
  std::shared_ptr<const pending_write> pending = nullptr;
};

// V2 JSON answer -> V1 XML document (declaration, v1 namespace on the root). An empty body
// (only whitespace) is the method's root element with no content (mapping.md §4 rule 9): the
// proxy and `pcbridge translate` both get it from here.
outcome<translated> v2_response_to_v1(method_id method, std::string_view v2_json,
                                      const translate_context& ctx);

// V1 XML request body -> V2 JSON request body. 400 on malformed XML, a foreign namespace,
// or values that cannot be converted.
outcome<translated> v1_request_to_v2(method_id method, std::string_view v1_xml,
                                     const translate_context& ctx);

// Second step of a partial multi-instance SetProjectData: patch the indexes the V1
// request names into `current_v2_json` (the current data answer) and send whole lists.
outcome<translated> v1_request_to_v2_with_current(method_id method, std::string_view v1_xml,
                                                  std::string_view current_v2_json,
                                                  const translate_context& ctx);

// A V1 request body read once: parsed and checked (malformed XML, limits, namespace, UTF-8)
// as v1_request_to_v2 does first, then translated as often as the proxy needs (untyped
// before any token or schema fetch, typed once the schema is known, with the current data
// for a partial instance write) without parsing the XML again. Move-only; owns its copy.
class v1_request {
 public:
  struct state;
  explicit v1_request(std::shared_ptr<state> s);
  v1_request(v1_request&&) noexcept;
  v1_request& operator=(v1_request&&) noexcept;
  ~v1_request();
  const state& get() const { return *state_; }
  // Shared with a pending write (translated::pending) that views the document.
  std::shared_ptr<const state> share() const { return state_; }

 private:
  std::shared_ptr<state> state_;
};

outcome<v1_request> read_v1_request(method_id method, std::string_view v1_xml, const translate_context& ctx);
// The same translations as above, from a body read by read_v1_request.
outcome<translated> v1_request_to_v2(const v1_request& request, const translate_context& ctx);
outcome<translated> v1_request_to_v2_with_current(const v1_request& request, std::string_view current_v2_json,
                                                  const translate_context& ctx);
// The second step from the first one's answer (`first_step.pending` set): the types and the
// profile of that step apply. 500 when `first_step` has no pending write (a caller's bug).
outcome<translated> v1_request_to_v2_with_current(const translated& first_step, std::string_view current_v2_json);

// pcbridge's V1 error body in the profile's form (mapping.md §7, compat error_body):
//   xml   <?xml ...?><Error xmlns="v1" Status=".." Message=".." RequestId=".."/>
//   text  the message, one line
std::string v1_error_body(int status, std::string_view message, std::string_view request_id,
                          error_body_form form = error_body_form::xml);
// Its Content-Type: "application/xml; charset=utf-8" or "text/plain; charset=utf-8".
std::string_view v1_error_content_type(error_body_form form);

}  // namespace pcbridge::translators
