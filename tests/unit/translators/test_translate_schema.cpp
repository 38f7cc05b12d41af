// field_types_from_schema: the Date/Boolean type map from a V2 GetFormSchema answer.
#include <doctest/doctest.h>

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
