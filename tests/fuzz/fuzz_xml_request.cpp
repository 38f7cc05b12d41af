// V1 XML request bodies -> V2 JSON (v1_request_to_v2 and the second, "with current" step).
// Input: byte 0 selects the method (low 5 bits, modulo the method count), bit 0x40 a fixed
// field-type map (Date/Text/Boolean fields as a form schema would give), bit 0x80 the
// second step: the V1 XML ends at the first NUL byte, the current V2 data answer follows
// (both ways: one-shot, and the first step's pending write finished).
// Invariants: an accepted body is JSON for XML-body routes (empty only for an empty body or
// with needs_current_data on the first step), empty for no-body routes, the input itself
// for binary ones, at most linear in the input; a refusal is 4xx/5xx with a message that
// fits a V1 error body. read_v1_request + translation answers the same bytes as the one-shot
// entry points, and the same bytes when a comment forces load() to decode references itself.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "translators/route_table.hpp"
#include "translators/translate.hpp"
#include "translators/value_format.hpp"

using namespace pcbridge::translators;

namespace {

const field_type_map& fixed_types() {
  static const field_type_map types = [] {
    field_type_map t;
    t.by_id = {{"FIELD001", value_type::date}, {"FIELD002", value_type::text},
               {"FIELD003", value_type::boolean}, {"CUSTOM_DATE", value_type::date}};
    t.multi_instance = {"FIELD004"};  // sent without an index: instance 0 (mapping.md §5)
    return t;
  }();
  return types;
}

void check_refusal(const failure& f) {
  FUZZ_CHECK(f.status >= 400 && f.status <= 599);
  FUZZ_CHECK(!f.message.empty());
  pcbridge::fuzz::check_v1_document(v1_error_body(f.status, f.message, "r1"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned selector = data[0];
  const auto method = static_cast<method_id>((selector & 0x1F) % method_count);
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  translate_context ctx;
  if (selector & 0x40) ctx.types = &fixed_types();

  const bool second_step = (selector & 0x80) != 0;
  std::string_view xml = rest, current;
  if (second_step) {
    const auto nul = rest.find('\0');
    if (nul != std::string_view::npos) {
      xml = rest.substr(0, nul);
      current = rest.substr(nul + 1);
    }
  }
  auto result = second_step ? v1_request_to_v2_with_current(method, xml, current, ctx)
                            : v1_request_to_v2(method, xml, ctx);
  // The proxy's path (read_v1_request, then an untyped and a typed translation of the same
  // document) answers exactly what the one-shot entry point answers.
  if (auto once = read_v1_request(method, xml, ctx)) {
    (void)v1_request_to_v2(*once, translate_context{});  // the untyped check, before the typed one
    const auto again = second_step ? v1_request_to_v2_with_current(*once, current, ctx) : v1_request_to_v2(*once, ctx);
    FUZZ_CHECK(again.ok() == result.ok());
    if (again && result) FUZZ_CHECK(again->body == result->body && again->needs_current_data == result->needs_current_data);
    if (!again && !result) FUZZ_CHECK(again.error().message == result.error().message);
    if (second_step) {
      // The proxy's second step: the first step's pending write, finished with the current
      // data, answers what the one-shot second step answers.
      const auto first = v1_request_to_v2(*once, ctx);
      if (!first) {
        FUZZ_CHECK(!result && first.error().message == result.error().message);
      } else if (!first->needs_current_data) {
        FUZZ_CHECK(result && result->body == first->body);
      } else {
        FUZZ_CHECK(first->pending != nullptr);
        const auto finished = v1_request_to_v2_with_current(*first, current);
        FUZZ_CHECK(finished.ok() == result.ok());
        if (finished && result) FUZZ_CHECK(finished->body == result->body);
        if (!finished && !result) FUZZ_CHECK(finished.error().message == result.error().message);
      }
    }
  } else {
    FUZZ_CHECK(!result && once.error().message == result.error().message);
  }
  if (!result) {
    check_refusal(result.error());
    return 0;
  }
  // References are decoded by pugixml while parsing when every '&' starts a good one, else by
  // load()'s walk (translators/xml_references.hpp). A bare '&' in a comment after the root
  // forces the walk and changes nothing else: an accepted body answers the same bytes.
  if (route_for(method).request_body == body_kind::xml && !value_format::trim(xml).empty()) {
    const std::string walked = std::string(xml) + "<!-- & -->";
    const auto other = second_step ? v1_request_to_v2_with_current(method, walked, current, ctx)
                                   : v1_request_to_v2(method, walked, ctx);
    FUZZ_CHECK(other.ok());
    if (other) FUZZ_CHECK(other->body == result->body && other->needs_current_data == result->needs_current_data);
  }
  const translated& t = *result;
  FUZZ_CHECK(t.body.size() <= pcbridge::fuzz::linear_bound(size, 8));
  FUZZ_CHECK(t.typing_fallbacks >= 0);
  if (t.needs_current_data) {
    FUZZ_CHECK(!second_step);  // the second step always answers
    FUZZ_CHECK(t.body.empty());
    return 0;
  }
  switch (route_for(method).request_body) {
    case body_kind::none: FUZZ_CHECK(t.body.empty()); break;        // a body sent anyway is ignored
    case body_kind::binary: FUZZ_CHECK(t.body == xml); break;       // streamed unchanged
    case body_kind::xml: FUZZ_CHECK(t.body.empty() || nlohmann::json::accept(t.body)); break;
  }
  return 0;
}
