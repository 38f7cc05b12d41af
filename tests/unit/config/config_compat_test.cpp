// The `compat:` section (mapping.md §8): each key sets one setting of the compatibility
// profile; unknown keys and values are errors with their path and line.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "config/compat.hpp"
#include "config_test_util.hpp"
#include "translators/method.hpp"

namespace pcbridge::config {
namespace {

using test::errors_of;
namespace tr = translators;

std::string after_minimal(const std::string& rest) { return std::string(test::minimal_yaml) + rest; }

TEST_CASE("compat: absent means mapping.md's defaults") {
  const load_result r = load_config_text(test::minimal_yaml);
  REQUIRE(r.value);
  CHECK(r.value->compat.object_booleans == tr::boolean_spelling::lower);
  CHECK(r.value->compat.submit_project_url == tr::url_placement::both);
  CHECK(r.value->compat.data_current_status == tr::status_form::both);
  CHECK(r.value->compat.status_deleted);
}

TEST_CASE("compat: each key sets its setting, response roots per method") {
  const load_result r = load_config_text(after_minimal(R"(compat:
  object_booleans: capitalized
  submit_project_url: beside
  data_current_status: element
  status_deleted: omit
  error_body: text
  response_roots: { GetPrograms: ProgramList }
)"));
  REQUIRE_MESSAGE(r.value, errors_of(r));
  const tr::compat_profile& c = r.value->compat;
  CHECK(c.object_booleans == tr::boolean_spelling::capitalized);
  CHECK(c.submit_project_url == tr::url_placement::beside);
  CHECK(c.data_current_status == tr::status_form::element);
  CHECK_FALSE(c.status_deleted);
  CHECK(c.error_body == tr::error_body_form::text);  // every pcbridge error takes it (proxy/v1_answers.cpp)
  CHECK(c.response_roots[static_cast<int>(tr::method_id::GetPrograms)] == "ProgramList");
}

TEST_CASE("compat: unknown keys and bad values are reported with path and line") {
  const load_result r = load_config_text(after_minimal(R"(compat:
  object_boolean: lower
  submit_project_url: above
  error_body: json
  response_roots: { GetProgramz: X }
)"));
  CHECK_FALSE(r.value);
  const std::string errors = errors_of(r);
  CHECK(errors.find("t.yaml:10: compat.object_boolean: unknown key (did you mean \"object_booleans\"?)") !=
        std::string::npos);
  CHECK(errors.find("t.yaml:11: compat.submit_project_url: expected one of: both, inside, beside") !=
        std::string::npos);
  CHECK(errors.find("t.yaml:12: compat.error_body: expected one of: xml, text") != std::string::npos);
  CHECK(errors.find("compat.response_roots.GetProgramz") != std::string::npos);
}

TEST_CASE("compat: the request-side (I) keys: data_field_without_value and by_number_json_name, with line errors") {
  const load_result ok = load_config_text(after_minimal("compat:\n  data_field_without_value: skip\n  by_number_json_name: Numbers\n"));
  REQUIRE_MESSAGE(ok.value, errors_of(ok));
  CHECK(ok.value->compat.data_field_without_value == tr::missing_value::skip);
  CHECK(ok.value->compat.by_number_member == "Numbers");
  const load_result defaults = load_config_text(test::minimal_yaml);
  REQUIRE(defaults.value);
  CHECK(defaults.value->compat.data_field_without_value == tr::missing_value::clear);
  CHECK(defaults.value->compat.by_number_member == "ProjectNumbers");

  const load_result bad = load_config_text(after_minimal(R"(compat:
  data_field_without_value: null_it
  by_number_json_name: "Project Numbers"
  by_numbers_json_name: ProjectNumbers
)"));
  CHECK_FALSE(bad.value);
  const std::string errors = errors_of(bad);
  CHECK(errors.find("t.yaml:10: compat.data_field_without_value: expected one of: clear, skip") != std::string::npos);
  CHECK(errors.find("t.yaml:11: compat.by_number_json_name: expected a JSON member name (letters, digits, _; at most 64)") !=
        std::string::npos);
  CHECK(errors.find("t.yaml:12: compat.by_numbers_json_name: unknown key (did you mean \"by_number_json_name\"?)") !=
        std::string::npos);
}

TEST_CASE("pcbridge translate --config: load_compat_profile gives the file's profile, or its errors as --check-config") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  const std::string good = dir + "/compat_good_" + std::to_string(::getpid()) + ".yaml";
  const std::string bad = dir + "/compat_bad_" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(good) << after_minimal("compat:\n  object_booleans: capitalized\n  error_body: text\n");
  std::ofstream(bad) << after_minimal("compat:\n  object_booleans: True\n");
  std::ostringstream err;
  const auto profile = load_compat_profile(good, err);
  REQUIRE(profile);
  CHECK(err.str().empty());
  CHECK(profile->object_booleans == tr::boolean_spelling::capitalized);
  CHECK(profile->error_body == tr::error_body_form::text);
  CHECK(profile->submit_project_url == tr::url_placement::both);  // unset keys keep mapping.md's default

  std::ostringstream bad_err;
  CHECK_FALSE(load_compat_profile(bad, bad_err));
  CHECK(bad_err.str() == bad + ":10: compat.object_booleans: expected one of: lower, capitalized\n");
  std::ostringstream missing_err;
  CHECK_FALSE(load_compat_profile(dir + "/no_such_pcbridge.yaml", missing_err));
  CHECK_FALSE(missing_err.str().empty());
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

}  // namespace
}  // namespace pcbridge::config
