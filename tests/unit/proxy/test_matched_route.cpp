// matched_route (pipeline_steps.hpp) remembers match_v1's last answer so that one request is
// matched once; it must give exactly match_v1's answer whatever came before it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "proxy/pipeline_steps.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {
namespace {

namespace tr = translators;

struct call {
  tr::http_verb verb;
  std::string target;
  bool admin;
  std::string offset;
};

std::string describe(const tr::outcome<tr::route_match>& m) {
  if (!m) return "error " + std::to_string(m.error().status) + " " + m.error().message;
  std::string out = std::string(tr::method_name(m->matched->id)) + " " + m->v2_target;
  for (const auto& [name, value] : m->params) out += " " + name + "=" + value;
  return out;
}

TEST_CASE("matched_route: the remembered answer never stands in for a different verb, target, admin flag or offset") {
  const std::string data = "/Services.svc/v1/Programs/P1/Projects/J1/Forms/F1/Data";
  const std::vector<call> calls = {
      {tr::http_verb::get, data, false, "+00:00"},
      {tr::http_verb::get, data, false, "+00:00"},  // the repeat the memo is for
      {tr::http_verb::post, data, false, "+00:00"},
      {tr::http_verb::post, data, true, "+00:00"},  // admin: the non-draft V2 path
      {tr::http_verb::get, data, false, "+00:00"},
      {tr::http_verb::get, "/Services.svc/v1/Programs/P1/Projects/J2/Forms/F1/Data", false, "+00:00"},
      {tr::http_verb::get, "/Services.svc/v1/Programs/P1/Projects?changed_since=01/02/2024", false, "+00:00"},
      {tr::http_verb::get, "/Services.svc/v1/Programs/P1/Projects?changed_since=01/02/2024", false, "-08:00"},
      {tr::http_verb::del, data, false, "+00:00"},  // 405
      {tr::http_verb::get, "/nowhere", false, "+00:00"},  // 404
      {tr::http_verb::get, data, false, "+00:00"},
  };
  for (const call& c : calls) {
    tr::match_options options;
    options.admin = c.admin;
    options.default_offset = c.offset;
    const std::string expected = describe(tr::match_v1(c.verb, c.target, options));
    CAPTURE(c.target);
    CHECK(describe(matched_route(c.verb, c.target, options)) == expected);
  }
  tr::match_options plain;
  CHECK(describe(matched_route(tr::http_verb::post, data, plain)) ==
        "SetProjectData /services/v2/Programs/P1/Projects/J1/Forms/F1/Draft/Data ProgramId=P1 ProjectId=J1 FormId=F1");
}

}  // namespace
}  // namespace pcbridge::proxy
