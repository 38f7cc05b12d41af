// Golden cases for the body translators. Layout: tests/golden/<Method>/<case>/ with
//   v2_response.json + v1_response.xml   response case (V2 JSON -> V1 XML)
//   v1_request.xml   + v2_request.json   request case  (V1 XML -> V2 JSON)
//   schema.json            optional V2 GetFormSchema answer: the field type map
//   current.json           optional current data answer: second step of a partial write
//   expected_error.txt     instead of the output file: "<status> <message>" (first line)
//   expected_fallbacks.txt optional: the typing_fallbacks count of each direction present
//   NOTE                   optional: which (I) decision of mapping.md the case pins
// Adding a case adds files. Comparison is canonical (XML: element names, attributes in order,
// text; namespace-prefix declarations such as xmlns:xsd are ignored, the default namespace
// is compared; JSON: value equality), with a line diff of pretty-printed forms on mismatch.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "translators/method.hpp"
#include "translators/translate.hpp"

namespace fs = std::filesystem;
using namespace pcbridge::translators;

namespace {

fs::path golden_root() { return fs::path(PCBRIDGE_SOURCE_DIR) / "tests" / "golden"; }

std::optional<std::string> read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream s;
  s << f.rdbuf();
  return std::move(s).str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Line diff (LCS): "  same", "- expected only", "+ actual only".
std::string line_diff(const std::string& expected, const std::string& actual) {
  const auto a = lines(expected), b = lines(actual);
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out = "--- expected\n+++ actual\n";
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out += "  " + a[i++] + "\n";
      ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += "+ " + b[j++] + "\n";
    } else {
      out += "- " + a[i++] + "\n";
    }
  }
  return out;
}

bool ignored_attribute(std::string_view name) { return name.starts_with("xmlns:"); }

std::string text_of(pugi::xml_node n) {
  std::string t;
  for (auto c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) t += c.value();
  }
  return t;
}

// Canonical equality: same element names, same attributes (name and value) in the same
// order, same text, same children in the same order.
bool same_xml(pugi::xml_node a, pugi::xml_node b) {
  if (std::string_view(a.name()) != b.name()) return false;
  std::vector<std::pair<std::string, std::string>> aa, ba;
  for (auto x : a.attributes()) {
    if (!ignored_attribute(x.name())) aa.emplace_back(x.name(), x.value());
  }
  for (auto x : b.attributes()) {
    if (!ignored_attribute(x.name())) ba.emplace_back(x.name(), x.value());
  }
  if (aa != ba || text_of(a) != text_of(b)) return false;
  auto ca = a.first_child(), cb = b.first_child();
  auto next_element = [](pugi::xml_node n) {
    while (n && n.type() != pugi::node_element) n = n.next_sibling();
    return n;
  };
  ca = next_element(ca);
  cb = next_element(cb);
  while (ca && cb) {
    if (!same_xml(ca, cb)) return false;
    ca = next_element(ca.next_sibling());
    cb = next_element(cb.next_sibling());
  }
  return !ca && !cb;
}

std::string pretty_xml(pugi::xml_document& doc) {
  // Strip ignored declarations so the diff shows only what the comparison looks at.
  std::vector<pugi::xml_node> stack{doc.document_element()};
  while (!stack.empty()) {
    auto n = stack.back();
    stack.pop_back();
    for (auto x = n.first_attribute(); x;) {
      auto next = x.next_attribute();
      if (ignored_attribute(x.name())) n.remove_attribute(x);
      x = next;
    }
    for (auto c : n.children()) {
      if (c.type() == pugi::node_element) stack.push_back(c);
    }
  }
  std::ostringstream s;
  doc.save(s, "  ", pugi::format_indent | pugi::format_no_declaration);
  return s.str();
}

struct case_dir {
  std::string name;  // "GetProjectData/multi_instance_empty_slots"
  fs::path dir;
  method_id method;
};

std::vector<case_dir> all_cases(std::vector<std::string>& problems) {
  std::vector<case_dir> cases;
  for (const auto& m : fs::directory_iterator(golden_root())) {
    if (!m.is_directory()) continue;
    const std::string method_dir = m.path().filename().string();
    const auto id = method_from_name(method_dir);
    if (!id) {
      problems.push_back(method_dir + ": not a V1 method name");
      continue;
    }
    for (const auto& c : fs::directory_iterator(m.path())) {
      if (c.is_directory()) cases.push_back({method_dir + "/" + c.path().filename().string(), c.path(), *id});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const case_dir& a, const case_dir& b) { return a.name < b.name; });
  return cases;
}

struct expected_error {
  int status = 0;
  std::string message;
};

std::optional<expected_error> read_expected_error(const fs::path& dir) {
  auto text = read(dir / "expected_error.txt");
  if (!text) return std::nullopt;
  std::string first = text->substr(0, text->find('\n'));
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.pop_back();
  expected_error e;
  const auto space = first.find(' ');
  e.status = std::stoi(first.substr(0, space));
  e.message = space == std::string::npos ? "" : first.substr(space + 1);
  return e;
}

// Returns "" when the case passes, else a readable report.
std::string check_error(const outcome<translated>& got, const expected_error& want) {
  if (got) return "expected failure " + std::to_string(want.status) + " " + want.message + "\nbut got:\n" + got->body + "\n";
  if (got.error().status != want.status || got.error().message != want.message) {
    return "expected failure: " + std::to_string(want.status) + " " + want.message + "\nactual failure:   " +
           std::to_string(got.error().status) + " " + got.error().message + "\n";
  }
  return "";
}

std::string check_fallbacks(const fs::path& dir, const translated& got) {
  const auto text = read(dir / "expected_fallbacks.txt");
  if (!text) return "";
  const int want = std::stoi(*text);
  if (got.typing_fallbacks == want) return "";
  return "typing_fallbacks: expected " + std::to_string(want) + ", got " + std::to_string(got.typing_fallbacks) + "\n";
}

std::string run_response(const case_dir& c, const translate_context& ctx) {
  const auto input = read(c.dir / "v2_response.json");
  const auto got = v2_response_to_v1(c.method, *input, ctx);
  if (auto want_error = read_expected_error(c.dir)) return check_error(got, *want_error);
  const auto expected = read(c.dir / "v1_response.xml");
  if (!expected) return "v1_response.xml (or expected_error.txt) missing\n";
  if (!got) return "translation failed: " + std::to_string(got.error().status) + " " + got.error().message + "\n";
  const std::string& body = got->body;
  if (!body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")) return "missing XML declaration:\n" + body + "\n";
  pugi::xml_document want_doc, got_doc;
  if (!want_doc.load_string(expected->c_str())) return "v1_response.xml is not well-formed\n";
  const auto parsed = got_doc.load_buffer(body.data(), body.size());
  if (!parsed) return std::string("output is not well-formed XML: ") + parsed.description() + "\n" + body + "\n";
  if (std::string_view(got_doc.document_element().attribute("xmlns").value()) != v1_namespace) {
    return "root does not carry the V1 namespace\n" + body + "\n";
  }
  if (!same_xml(want_doc.document_element(), got_doc.document_element())) {
    return line_diff(pretty_xml(want_doc), pretty_xml(got_doc));
  }
  return check_fallbacks(c.dir, *got);
}

std::string run_request(const case_dir& c, const translate_context& ctx) {
  const auto input = read(c.dir / "v1_request.xml");
  const auto current = read(c.dir / "current.json");
  auto got = v1_request_to_v2(c.method, *input, ctx);
  if (current) {
    if (!got) return "first step failed: " + got.error().message + "\n";
    if (!got->needs_current_data) return "current.json given but the request did not ask for current data\n";
    got = v1_request_to_v2_with_current(c.method, *input, *current, ctx);
  } else if (got && got->needs_current_data) {
    if (!read_expected_error(c.dir)) return "the request asks for current data: add current.json\n";
  }
  if (auto want_error = read_expected_error(c.dir)) return check_error(got, *want_error);
  const auto expected = read(c.dir / "v2_request.json");
  if (!expected) return "v2_request.json (or expected_error.txt) missing\n";
  if (!got) return "translation failed: " + std::to_string(got.error().status) + " " + got.error().message + "\n";
  const auto want_json = nlohmann::json::parse(*expected, nullptr, false);
  if (want_json.is_discarded()) return "v2_request.json is not JSON\n";
  const auto got_json = nlohmann::json::parse(got->body, nullptr, false);
  if (got_json.is_discarded()) return "output is not JSON:\n" + got->body + "\n";
  if (want_json != got_json) return line_diff(want_json.dump(2), got_json.dump(2));
  return check_fallbacks(c.dir, *got);
}

}  // namespace

TEST_CASE("golden cases: every case passes") {
  std::vector<std::string> problems;
  const auto cases = all_cases(problems);
  for (const auto& p : problems) FAIL_CHECK(p);
  REQUIRE(!cases.empty());
  int ran = 0;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    field_type_map types;
    translate_context ctx;
    if (const auto schema = read(c.dir / "schema.json")) {
      auto parsed = field_types_from_schema(*schema);
      if (!parsed) {
        FAIL_CHECK(c.name << ": schema.json: " << parsed.error().message);
        continue;
      }
      types = parsed.value();
      ctx.types = &types;
    }
    const bool response = fs::exists(c.dir / "v2_response.json");
    const bool request = fs::exists(c.dir / "v1_request.xml");
    if (!response && !request) {
      FAIL_CHECK(c.name << ": no v2_response.json or v1_request.xml");
      continue;
    }
    if (response) {
      const std::string report = run_response(c, ctx);
      if (!report.empty()) FAIL_CHECK(c.name << " (response)\n" << report);
      ++ran;
    }
    if (request) {
      const std::string report = run_request(c, ctx);
      if (!report.empty()) FAIL_CHECK(c.name << " (request)\n" << report);
      ++ran;
    }
  }
  MESSAGE(ran << " golden translations in " << cases.size() << " cases");
}

TEST_CASE("golden cases: every method of mapping.md §6 has one") {
  std::vector<std::string> problems;
  std::set<std::string> methods;
  for (const auto& c : all_cases(problems)) methods.insert(c.name.substr(0, c.name.find('/')));
  for (const char* m : {"GetPrograms", "GetForms", "GetFormSchema", "GetProjects", "GetProjectsByNumber",
                        "GetProjectsByData", "CreateNewProject", "GetAllProjectData", "GetProjectData",
                        "SetProjectData", "SubmitProject", "GetAttachmentMetadata", "SetAttachmentMetadata",
                        "GetStatusList", "GetProjectStatusHistory", "SetProjectStatus", "SetProjectOwner",
                        "GetInquiryThreads", "GetNotesInInquiryThread", "SetInquiryNote", "SetInquiryThreadStatus",
                        "SetInquiryThreadExternalId"}) {
    CHECK_MESSAGE(methods.contains(m), "no golden case for " << m);
  }
}
