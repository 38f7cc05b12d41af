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

TEST_CASE("an empty answer is the method's empty root, as the proxy answers it (mapping.md §4 rule 9)") {
  const auto r = run({"--method", "GetProjects", "--direction", "response"}, "");
  CHECK(r.code == 0);
  CHECK(r.out == "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ProjectsResponse xmlns=\"http://service.powerclerk.com/api/v1/\""
                 " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>");
}

TEST_CASE("--compat KEY=VALUE and --config shape the answer like the proxy's compat: section") {
  const std::string json = R"({"Project":{"ProjectId":"P","CanSubmit":true}})";
  CHECK(run({"--method", "GetProjectData", "--direction", "response"}, json).out.find(R"(CanSubmit="true")") !=
        std::string::npos);
  const auto capitalized = run({"--method", "GetProjectData", "--direction", "response", "--compat",
                                "object_booleans=capitalized", "--compat", "response_roots.GetProjectData=Data",
                                "--compat", "xsd_xsi_declarations=omit"},
                               json);
  CHECK(capitalized.code == 0);
  CHECK(capitalized.out == "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Data xmlns=\"http://service.powerclerk.com/api/v1/\">"
                           "<Project ProjectId=\"P\" CanSubmit=\"True\"/></Data>");
  const auto bad_value = run({"--method", "GetProjectData", "--direction", "response", "--compat", "object_booleans=yes"}, json);
  CHECK(bad_value.code == 2);
  CHECK(bad_value.err == "pcbridge translate: --compat object_booleans: expected one of: lower, capitalized\n");
  CHECK(run({"--method", "GetProjectData", "--direction", "response", "--compat", "nokey"}, json).code == 2);
  CHECK(run({"--method", "GetProjectData", "--direction", "response", "--compat", "colour=red"}, json).err ==
        "pcbridge translate: --compat colour: unknown key\n");

  // --config goes through the caller's loader (config/ reads the YAML in the real binary).
  std::vector<std::string_view> args = {"--method", "GetProjectData", "--direction", "response", "--config", "my.yaml"};
  std::istringstream in(json);
  std::ostringstream out, err;
  std::string asked;
  const compat_loader loader = [&](const std::string& path, std::ostream&) -> std::optional<compat_profile> {
    asked = path;
    compat_profile p;
    p.object_booleans = boolean_spelling::capitalized;
    return p;
  };
  CHECK(run_translate_cli(args, in, out, err, loader) == 0);
  CHECK(asked == "my.yaml");
  CHECK(out.str().find(R"(CanSubmit="True")") != std::string::npos);
  std::istringstream in2(json);
  std::ostringstream out2, err2;
  CHECK(run_translate_cli(args, in2, out2, err2) == 2);  // no loader: --config is unavailable
  std::istringstream in3(json);
  std::ostringstream out3, err3;
  const compat_loader failing = [](const std::string&, std::ostream& e) -> std::optional<compat_profile> {
    e << "my.yaml:3: compat.x: unknown key\n";
    return std::nullopt;
  };
  CHECK(run_translate_cli(args, in3, out3, err3, failing) == 3);  // invalid configuration, as --check-config
  CHECK(err3.str() == "my.yaml:3: compat.x: unknown key\n");
}
