// field_types_from_schema: the Date/Boolean type map from a V2 GetFormSchema answer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "translators/translate.hpp"

using namespace pcbridge::translators;

TEST_CASE("types keyed by DataFieldId and CustomId") {
  auto map = field_types_from_schema(R"({"FormSchema":{"FormId":"F","DataFields":[
      {"DataFieldId":"D1","CustomId":"Start","Type":"Date"},
      {"DataFieldId":"D2","CustomId":null,"Type":"DateTime"},
      {"DataFieldId":"D3","CustomId":"","Type":"boolean"},
      {"DataFieldId":"D4","Type":"Choice","Choices":["a"]},
      {"DataFieldId":"D5"},
      {"CustomId":"OnlyCustom","Type":"BOOLEAN"}]}})");
  REQUIRE(map);
  CHECK(map->find("D1") == value_type::date);
  CHECK(map->find("Start") == value_type::date);
  CHECK(map->find("D2") == value_type::date);
  CHECK(map->find("D3") == value_type::boolean);
  CHECK(map->find("D4") == value_type::text);
  CHECK(map->find("D5") == value_type::text);
  CHECK(map->find("OnlyCustom") == value_type::boolean);
  CHECK_FALSE(map->find("").has_value());
  CHECK_FALSE(map->find("unknown").has_value());
  CHECK(map->by_id.size() == 7);
}

TEST_CASE("a schema without the FormSchema wrapper or without fields") {
  auto bare = field_types_from_schema(R"({"DataFields":[{"DataFieldId":"D1","Type":"Date"}]})");
  REQUIRE(bare);
  CHECK(bare->find("D1") == value_type::date);
  auto empty = field_types_from_schema(R"({"FormSchema":{"FormId":"F"}})");
  REQUIRE(empty);
  CHECK(empty->by_id.empty());
}

TEST_CASE("an unreadable schema is a 502 naming the member") {
  auto message = [](std::string_view json) {
    auto r = field_types_from_schema(json);
    return r ? std::string("ok") : std::to_string(r.error().status) + " " + r.error().message;
  };
  CHECK(message("<html/>") == "502 GetFormSchema: cannot translate V2 answer: (root) invalid JSON: unexpected character at offset 0");
  CHECK(message("[]") == "502 GetFormSchema: cannot translate V2 answer: (root) is not an object");
  CHECK(message(R"({"FormSchema":[]})") == "502 GetFormSchema: cannot translate V2 answer: FormSchema is not an object");
  CHECK(message(R"({"FormSchema":{"DataFields":{}}})") ==
        "502 GetFormSchema: cannot translate V2 answer: FormSchema.DataFields is not an array");
  CHECK(message(R"({"FormSchema":{"DataFields":[1]}})") ==
        "502 GetFormSchema: cannot translate V2 answer: FormSchema.DataFields[0] is not an object");
}

TEST_CASE("multi-instance fields from the schema's MultiInstance flag (I), by public and custom id") {
  auto map = field_types_from_schema(R"({"FormSchema":{"DataFields":[
      {"DataFieldId":"D1","CustomId":"Dates","Type":"Date","MultiInstance":true},
      {"DataFieldId":"D2","Type":"Text","MultiInstance":false},
      {"DataFieldId":"D3","Type":"Text","MultiInstance":"true"},
      {"DataFieldId":"D4","Type":"Choice"}]}})");
  REQUIRE(map);
  CHECK(map->is_multi_instance("D1"));
  CHECK(map->is_multi_instance("Dates"));
  CHECK_FALSE(map->is_multi_instance("D2"));
  CHECK_FALSE(map->is_multi_instance("D3"));  // only a JSON true counts
  CHECK_FALSE(map->is_multi_instance("D4"));
  CHECK_FALSE(map->is_multi_instance("unknown"));
}

TEST_CASE("form ids of a GetForms answer, in order") {
  auto ids = form_ids_from_forms(R"({"Forms":[{"FormId":"F1","Name":"A"},{"Name":"no id"},{"FormId":""},
      {"FormId":"F2","AvailableInStatuses":[]},7]})");
  REQUIRE(ids);
  CHECK(*ids == std::vector<std::string>{"F1", "F2"});
  auto none = form_ids_from_forms(R"({"Forms":null})");
  REQUIRE(none);
  CHECK(none->empty());
  auto message = [](std::string_view json) {
    auto r = form_ids_from_forms(json);
    return r ? std::string("ok") : std::to_string(r.error().status) + " " + r.error().message;
  };
  CHECK(message("[]") == "502 GetForms: cannot translate V2 answer: (root) is not an object");
  CHECK(message(R"({"Forms":{}})") == "502 GetForms: cannot translate V2 answer: Forms is not an array");
  CHECK(message("{") == "502 GetForms: cannot translate V2 answer: (root) invalid JSON: unexpected end of input at offset 1");
}

TEST_CASE("a program's forms merged into one map keyed by public and custom id") {
  auto a = field_types_from_schema(R"({"FormSchema":{"DataFields":[
      {"DataFieldId":"A1","CustomId":"Start","Type":"Date"},
      {"DataFieldId":"A2","CustomId":"Shared","Type":"Text"},
      {"DataFieldId":"A3","CustomId":"Same","Type":"Boolean","MultiInstance":true}]}})");
  auto b = field_types_from_schema(R"({"FormSchema":{"DataFields":[
      {"DataFieldId":"B1","CustomId":"Done","Type":"Boolean"},
      {"DataFieldId":"B2","CustomId":"Shared","Type":"Date"},
      {"DataFieldId":"B3","CustomId":"Same","Type":"Boolean"}]}})");
  REQUIRE(a);
  REQUIRE(b);
  const std::vector<field_type_map> maps{*a, *b};
  const field_type_map merged = merge_field_types(maps);
  CHECK(merged.find("A1") == value_type::date);
  CHECK(merged.find("Start") == value_type::date);
  CHECK(merged.find("A2") == value_type::text);
  CHECK(merged.find("B1") == value_type::boolean);
  CHECK(merged.find("Done") == value_type::boolean);
  CHECK(merged.find("B2") == value_type::date);
  CHECK(merged.find("Same") == value_type::boolean);  // same type in both forms: kept
  // Typed differently by two forms: unknown, so the pattern fallback decides (counted).
  CHECK_FALSE(merged.find("Shared").has_value());
  CHECK(merged.is_multi_instance("A3"));
  CHECK(merged.is_multi_instance("Same"));
  CHECK(merged.by_id.size() == 9);
  // A third form typing "Shared" again does not bring it back.
  const std::vector<field_type_map> three{*a, *b, *a};
  CHECK_FALSE(merge_field_types(three).find("Shared").has_value());
  CHECK(merge_field_types(std::vector<field_type_map>{}).by_id.empty());
}
