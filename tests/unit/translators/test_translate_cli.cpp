// run_translate_cli: `pcbridge translate` as a pure function over streams.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "translators/translate_cli.hpp"

using namespace pcbridge::translators;

namespace {

struct run_result {
  int code;
  std::string out, err;
};

run_result run(std::vector<std::string_view> args, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = run_translate_cli(args, in, out, err);
  return {code, out.str(), err.str()};
}

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("pcbridge_cli_test_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("usage errors exit 2") {
  CHECK(run({}).code == 2);
  CHECK(run({"--method", "GetProjectData"}).code == 2);
  CHECK(run({"--method", "NoSuchMethod", "--direction", "response"}).err.find("unknown method 'NoSuchMethod'") != std::string::npos);
  CHECK(run({"--method", "GetProjectData", "--direction", "sideways"}).code == 2);
  CHECK(run({"--method"}).err.find("--method needs a value") != std::string::npos);
  CHECK(run({"--bogus"}).code == 2);
  CHECK(run({"--method", "GetProjectData", "--direction", "response", "--schema", "/nonexistent/schema.json"}).code == 2);
  const auto help = run({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("usage: pcbridge translate") != std::string::npos);
}

TEST_CASE("a response is translated to stdout; a leading 'translate' is skipped") {
  const auto r = run({"translate", "--method", "SetProjectOwner", "--direction", "response"}, R"({"Owner":{"Email":"a@b"}})");
  CHECK(r.code == 0);
  CHECK(r.out.find(R"(<Owner Email="a@b"/></SetProjectOwnerResponse>)") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("translation failures exit 1 with the message on stderr") {
  const auto r = run({"--method", "GetProjects", "--direction", "response"}, "[]");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "pcbridge translate: 502 GetProjects: cannot translate V2 answer: (root) is not an object (got array)\n");
  CHECK(run({"--method", "SetProjectData", "--direction", "request"}, "<a>").code == 1);
}

TEST_CASE("--schema types the fields; without it fallbacks are reported") {
  const std::string answer = R"({"Project":{"DataFields":[{"DataFieldId":"D1","Value":"2024-01-02"}]}})";
  const auto plain = run({"--method", "GetProjectData", "--direction", "response"}, answer);
  CHECK(plain.code == 0);
  CHECK(plain.out.find(R"(Value="01/02/2024")") != std::string::npos);
  CHECK(plain.err.find("1 value(s) typed by pattern") != std::string::npos);

  const auto schema = temp_file("schema.json", R"({"FormSchema":{"DataFields":[{"DataFieldId":"D1","Type":"Text"}]}})");
  const std::string schema_path = schema.string();
  const auto typed = run({"--method", "GetProjectData", "--direction", "response", "--schema", schema_path}, answer);
  CHECK(typed.code == 0);
  CHECK(typed.out.find(R"(Value="2024-01-02")") != std::string::npos);
  CHECK(typed.err.empty());

  const auto bad = temp_file("bad_schema.json", "[]");
  const std::string bad_path = bad.string();
  CHECK(run({"--method", "GetProjectData", "--direction", "response", "--schema", bad_path}, answer).code == 1);
  std::filesystem::remove(schema);
  std::filesystem::remove(bad);
}

TEST_CASE("a partial SetProjectData needs --current") {
  const std::string request =
      R"(<ProjectDataRequest><Project><DataFields><DataField DataFieldId="M" Value="x" Instance="1"/></DataFields></Project></ProjectDataRequest>)";
  const auto without = run({"--method", "SetProjectData", "--direction", "request"}, request);
  CHECK(without.code == 1);
  CHECK(without.err.find("--current") != std::string::npos);

  const auto current = temp_file("current.json", R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","b","c"]}]}})");
  const std::string current_path = current.string();
  const auto with = run({"--method", "SetProjectData", "--direction", "request", "--current", current_path}, request);
  CHECK(with.code == 0);
  CHECK(with.out == R"({"Project":{"DataFields":[{"DataFieldId":"M","Values":["a","x","c"]}]}})");
  std::filesystem::remove(current);
}
