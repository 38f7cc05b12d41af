// read_v1_request: a body parsed once and translated several times (the proxy's untyped check,
// typed translation and current-data patch) gives exactly what the one-shot entry points give.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

std::string as_text(const outcome<translated>& r) {
  if (!r) return std::to_string(r.error().status) + " " + r.error().message;
  return std::string(r->needs_current_data ? "needs_current " : "") + r->body + " fallbacks=" +
         std::to_string(r->typing_fallbacks);
}

const std::string data_request =
    R"(<ProjectDataRequest xmlns="http://service.powerclerk.com/api/v1/"><Project><DataFields>)"
    R"(<DataField DataFieldId=" D " Value="02/03/2024"/><DataField DataFieldId="B" Value="True"/>)"
    R"(<DataField DataFieldId="M" Value="a &amp; b" Instance="1"/><DataField><DataFieldId>C</DataFieldId>)"
    R"(<Value>child &lt;text&gt;</Value></DataField></DataFields></Project></ProjectDataRequest>)";
const std::string current = R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["x","y","z"]}]}})";

// The form schema data_request is typed by: D a Date, B a Boolean, M a multi-instance Text.
field_type_map data_request_types() {
  field_type_map types;
  types.by_id = {{"D", value_type::date}, {"B", value_type::boolean}, {"M", value_type::text}};
  types.multi_instance = {"M"};
  return types;
}

translate_context typed_by(const field_type_map& types) {
  translate_context ctx;
  ctx.types = &types;
  return ctx;
}

}  // namespace

TEST_CASE("read_v1_request: untyped, typed and with-current translations equal the one-shot ones, byte for byte") {
  const field_type_map types = data_request_types();
  const translate_context typed = typed_by(types);
  const translate_context untyped{};

  auto once = read_v1_request(method_id::SetProjectData, data_request, untyped);
  REQUIRE(once);
  for (const translate_context* ctx : {&untyped, &typed}) {
    CHECK(as_text(v1_request_to_v2(*once, *ctx)) == as_text(v1_request_to_v2(method_id::SetProjectData, data_request, *ctx)));
    CHECK(as_text(v1_request_to_v2_with_current(*once, current, *ctx)) ==
          as_text(v1_request_to_v2_with_current(method_id::SetProjectData, data_request, current, *ctx)));
  }
  // Translating again reads the same document: nothing in it was consumed or changed.
  CHECK(as_text(v1_request_to_v2_with_current(*once, current, typed)) ==
        R"({"Project":{"DataFields":[{"DataFieldId":"D","Value":"2024-02-03"},{"DataFieldId":"B","Value":"true"},)"
        R"({"DataFieldId":"M","Values":["x","a & b","z"]},{"DataFieldId":"C","Value":"child <text>"}]}} fallbacks=0)");
  CHECK(as_text(v1_request_to_v2(*once, untyped)) == "needs_current  fallbacks=2");
}

TEST_CASE("read_v1_request: refuses what the one-shot translation refuses, with the same status and message") {
  const std::vector<std::pair<method_id, std::string>> bad = {
      {method_id::SetProjectData, "<ProjectDataRequest"},
      {method_id::SetProjectData, "   "},
      {method_id::SetInquiryNote, ""},
      {method_id::SetProjectOwner, R"(<R xmlns="urn:other"/>)"},
      {method_id::SetProjectOwner, "<R>&bogus;</R>"},
  };
  for (const auto& [m, body] : bad) {
    CAPTURE(body);
    auto once = read_v1_request(m, body, translate_context{});
    REQUIRE_FALSE(once);
    const auto direct = v1_request_to_v2(m, body, translate_context{});
    REQUIRE_FALSE(direct);
    CHECK(once.error().status == direct.error().status);
    CHECK(once.error().message == direct.error().message);
  }
  // Bodies with nothing to parse keep their one-shot answers too: ByNumber's shape 400, none.
  auto by_number = read_v1_request(method_id::GetProjectsByNumber, "", translate_context{});
  REQUIRE(by_number);
  CHECK(as_text(v1_request_to_v2(*by_number, translate_context{})) ==
        as_text(v1_request_to_v2(method_id::GetProjectsByNumber, "", translate_context{})));
  // (I) v1-api.md §3.26: SetInquiryThreadStatus's body is "unknown/none", so none is accepted.
  auto status = read_v1_request(method_id::SetInquiryThreadStatus, "", translate_context{});
  REQUIRE(status);
  CHECK(as_text(v1_request_to_v2(*status, translate_context{})) == " fallbacks=0");
}

TEST_CASE("the first step's pending write is finished with the current data, byte for byte, after its request is gone") {
  const field_type_map types = data_request_types();
  const translate_context typed = typed_by(types);
  const std::string expected =
      R"({"Project":{"DataFields":[{"DataFieldId":"D","Value":"2024-02-03"},{"DataFieldId":"B","Value":"true"},)"
      R"({"DataFieldId":"M","Values":["x","a & b","z"]},{"DataFieldId":"C","Value":"child <text>"}]}} fallbacks=0)";

  outcome<translated> first = failure{};
  {
    auto once = read_v1_request(method_id::SetProjectData, data_request, typed);
    REQUIRE(once);
    first = v1_request_to_v2(*once, typed);
  }  // the parsed request is destroyed here: the pending write keeps what it views
  REQUIRE(first);
  REQUIRE(first->needs_current_data);
  REQUIRE(first->pending);
  CHECK(as_text(v1_request_to_v2_with_current(*first, current)) == expected);
  // Finishing does not change the pending write: a second finish gives the same bytes.
  CHECK(as_text(v1_request_to_v2_with_current(*first, current)) == expected);
  // An unsent instance that reads as masked is still refused (mapping.md §5).
  CHECK(as_text(v1_request_to_v2_with_current(
            *first, R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["****","y"]}]}})")) ==
        "409 SetProjectData: DataField M: instance 0 reads as masked (sensitive data), so writing only some "
        "instances would store the mask over it; nothing was written: send every instance of this field in one "
        "request");
  // The one-shot overload keeps its own parse alive in the pending write, so it finishes too.
  const auto direct = v1_request_to_v2(method_id::SetProjectData, data_request, typed);
  REQUIRE(direct);
  CHECK(direct->needs_current_data);
  CHECK(as_text(v1_request_to_v2_with_current(*direct, current)) == expected);
  // An answer with no pending write has nothing to finish: a caller's bug, refused.
  CHECK(as_text(v1_request_to_v2_with_current(translated{}, current)) ==
        "500 SetProjectData: no pending write to patch the current data into");
}
