// The pcbridge command line as an operator meets it: --version agrees with CMake's project()
// and the checkout, --help lists everything the parsers accept, exit statuses are distinct.
#include <regex>
#include <set>

#include "release_util.hpp"

using namespace release_test;

namespace {

std::string project_version() {
  const std::string cmake = slurp(source_path("CMakeLists.txt"));
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(pcbridge VERSION ([0-9.]+))")));
  return m[1];
}

// Every "--option" word of a text.
std::set<std::string> options_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex option(R"((^|[\s\[(|])(--[a-z][a-z-]*))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), option); it != std::sregex_iterator(); ++it)
    out.insert((*it)[2]);
  return out;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::filesystem::temp_directory_path().string() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("cli: --version prints the CMake project version and, in a checkout, the git revision") {
  const run_result r = run(quote(pcbridge()) + " --version");
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  const run_result git = run("git -C " + quote(PCBRIDGE_SOURCE_DIR) + " rev-parse --short=12 HEAD");
  if (git.code == 0) {
    // The build may be of a tree with uncommitted changes ("-dirty"), but never of another commit.
    const std::regex line("pcbridge " + project_version() + R"( \(git )" + git.out.substr(0, 12) + R"((-dirty)?\)\n)");
    CHECK_MESSAGE(std::regex_match(r.out, line), r.out);
  } else {
    CHECK(r.out == "pcbridge " + project_version() + "\n");
  }
}

TEST_CASE("cli: --help lists every subcommand and option the parsers accept, with the exit statuses") {
  const run_result help = run(quote(pcbridge()) + " --help");
  REQUIRE(help.code == 0);
  const std::set<std::string> listed = options_in(help.out);
  for (const char* option : {"--config", "--check-config", "--port-file", "--admin-port-file", "--version", "--help",
                             "--list-methods", "--method", "--direction"}) {
    CAPTURE(option);
    CHECK(listed.count(option) == 1);
  }
  // translate's own usage text names the options its parser takes: each is in the main help.
  const run_result translate_help = run(quote(pcbridge()) + " translate --help");
  REQUIRE(translate_help.code == 0);
  for (const std::string& option : options_in(translate_help.out)) {
    CAPTURE(option);
    CHECK(listed.count(option) == 1);
  }
  CHECK(contains(help.out, "  pcbridge translate "));
  for (const char* status : {"  0  ", "  1  ", "  2  ", "  3  "}) CHECK(contains(help.out, status));
  // -h is the same text; no arguments prints it on stderr as a usage error.
  CHECK(run(quote(pcbridge()) + " -h").out == help.out);
  const run_result bare = run(quote(pcbridge()));
  CHECK(bare.code == 2);
  CHECK(bare.err == help.out);
}

TEST_CASE("cli: a usage error exits 2, an invalid config 3, a valid one 0") {
  const run_result unknown_option = run(quote(pcbridge()) + " --bogus");
  CHECK(unknown_option.code == 2);
  CHECK(contains(unknown_option.err, "pcbridge: unknown argument '--bogus'"));
  const run_result unknown_command = run(quote(pcbridge()) + " frobnicate");
  CHECK(unknown_command.code == 2);
  CHECK(contains(unknown_command.err, "unknown subcommand 'frobnicate'"));
  CHECK(run(quote(pcbridge()) + " --config").code == 2);
  CHECK(run(quote(pcbridge()) + " --port-file x").code == 2);

  const std::string bad = write_temp("pcbridge-cli-bad.yaml", "listen: { port: 8080, colour: blue }\n");
  const run_result invalid = run(quote(pcbridge()) + " --check-config " + quote(bad));
  CHECK(invalid.code == 3);
  CHECK(contains(invalid.err, bad + ":1: listen.colour"));
  CHECK(run(quote(pcbridge()) + " --config " + quote(bad)).code == 3);  // serving refuses it the same way
  CHECK(run(quote(pcbridge()) + " --check-config /nonexistent/pcbridge.yaml").code == 3);
  std::filesystem::remove(bad);

  const run_result valid = run(quote(pcbridge()) + " --check-config " + quote(source_path("config/demo.yaml")));
  CHECK(valid.code == 0);
  CHECK(contains(valid.out, "config/demo.yaml: valid ("));
}

TEST_CASE("cli: translate --list-methods lists every V1 method; a mistyped method gets a suggestion") {
  const run_result list = run(quote(pcbridge()) + " translate --list-methods");
  REQUIRE(list.code == 0);
  // Columns are aligned with spaces: name, verb, V1 path, what translate can do with it.
  const auto has_row = [&](const std::string& row) {
    return std::regex_search(list.out, std::regex("(^|\n)" + row + "\n"));
  };
  CHECK(has_row(R"(GetProjectData +GET +/Services\.svc/v1/Programs/\{ProgramId\}/Projects/\{ProjectId\}/Forms/\{FormId\}/Data  directions: response)"));
  CHECK(has_row(R"(SetProjectData +POST +/Services\.svc/v1/Programs/\{ProgramId\}/Projects/\{ProjectId\}/Forms/\{FormId\}/Data  directions: request,response)"));
  CHECK(has_row(R"(GetActiveAttachment +GET +\S+  directions: none \(binary or empty answer\))"));
  CHECK(has_row(R"(CreateMfaSessionToken +POST +/Services\.svc/v1/Accounts/MfaSessionTokens  unavailable \(501\))"));
  CHECK(has_row(R"(Generic +\* +/Services\.svc/v1/\* \(any other path\)  directions: request,response)"));
  CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 32);  // method_count rows

  const run_result typo = run(quote(pcbridge()) + " translate --method GetProjetData --direction response");
  CHECK(typo.code == 2);
  CHECK(typo.err ==
        "pcbridge translate: unknown method 'GetProjetData'; did you mean 'GetProjectData'?\n"
        "(pcbridge translate --list-methods lists them)\n");
  const run_result far = run(quote(pcbridge()) + " translate --method Frobnicate --direction response");
  CHECK(far.code == 2);
  CHECK(far.err == "pcbridge translate: unknown method 'Frobnicate'\n(pcbridge translate --list-methods lists them)\n");
}
