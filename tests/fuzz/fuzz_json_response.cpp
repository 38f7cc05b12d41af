// V2 JSON answers -> V1 XML (v2_response_to_v1), every method's rules. Input: byte 0 selects
// the method (low 5 bits, modulo the method count), bit 0x40 a fixed field-type map; the
// rest is the V2 answer. Invariants: an accepted answer is one well-formed XML document
// (pugixml, only XML 1.0 characters, no duplicate attribute) whose root is in the V1
// namespace, at most linear in the input; a refusal is 4xx/5xx with a message.
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

const field_type_map& fixed_types() {
  static const field_type_map types = [] {
    field_type_map t;
    t.by_id = {{"FIELD001", value_type::date}, {"FIELD002", value_type::text},
               {"FIELD003", value_type::boolean}, {"CUSTOM_DATE", value_type::date}};
    return t;
  }();
  return types;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned selector = data[0];
  const auto method = static_cast<method_id>((selector & 0x1F) % method_count);
  const std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  translate_context ctx;
  if (selector & 0x40) ctx.types = &fixed_types();

  auto result = v2_response_to_v1(method, json, ctx);
  if (!result) {
    FUZZ_CHECK(result.error().status >= 400 && result.error().status <= 599);
    FUZZ_CHECK(!result.error().message.empty());
    pcbridge::fuzz::check_v1_document(v1_error_body(result.error().status, result.error().message, "r1"));
    return 0;
  }
  FUZZ_CHECK(result->body.size() <= pcbridge::fuzz::linear_bound(size, 16));
  pcbridge::fuzz::check_v1_document(result->body);
  return 0;
}
