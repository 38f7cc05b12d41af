// V2 JSON -> V1 XML engines share one workspace per thread (json_to_v1_xml.cpp): nothing of
// one answer may show in the next. Each answer here is compared with the same translation on a
// fresh thread, whose workspace has never been used.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "translators/json_to_v1_xml_engine.hpp"
#include "translators/method.hpp"
#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

struct answer {
  method_id method;
  std::string json;
};

std::string translate(const answer& a) {
  auto r = v2_response_to_v1(a.method, a.json, translate_context{});
  return r ? "ok " + r->body : "error " + std::to_string(r.error().status) + " " + r.error().message;
}

std::string on_fresh_thread(const answer& a) {
  std::string out;
  std::thread([&] { out = translate(a); }).join();
  return out;
}

std::string wide_project(int fields) {
  std::string json = R"({"Project":{"ProjectId":"P1","DataFields":[)";
  for (int i = 0; i < fields; ++i) {
    if (i > 0) json += ',';
    json += R"({"DataFieldId":"F)" + std::to_string(i) + R"(","Value":"2024-02-0)" + std::to_string(i % 9 + 1) + R"("})";
  }
  return json + "]}}";
}

}  // namespace

TEST_CASE("a thread's answers do not leak into each other: methods, kinds, errors and sizes in turn") {
  const std::vector<answer> answers = {
      // Project elements under different methods have different rules (Url, CurrentStatus).
      {method_id::GetProjects, R"({"Projects":[{"ProjectId":"P1","Url":"u","CurrentStatus":{"StatusId":"S","Name":"N"}}]})"},
      {method_id::GetProjectData, R"({"Project":{"ProjectId":"P1","Url":"u","DataFields":[{"DataFieldId":"A","Value":"2024-02-03"}]}})"},
      {method_id::SubmitProject, R"({"Project":{"ProjectId":"P1","Url":"u","CurrentStatus":{"StatusId":"S","Name":"N"}}})"},
      // DataField in DataFields at the same depth: typed for GetProjectData, not for the schema.
      {method_id::GetFormSchema, R"({"FormSchema":{"FormId":"F","DataFields":[{"DataFieldId":"A","Value":"2024-02-03","Properties":{"Required":true}}]}})"},
      {method_id::GetProjectData, R"({"Project":{"ProjectId":"P1","DataFields":[{"DataFieldId":"A","Value":"2024-02-03","Properties":{"Required":true}}]}})"},
      // An error half way through an element, then the same kinds again.
      {method_id::GetProjectData, R"({"Project":{"ProjectId":"P1","DataFields":[{"DataFieldId":"A","Value":{}}]}})"},
      {method_id::GetProjectData, R"({"Project":{"DataFields":[{"DataFieldId":"B","Values":["2024-02-04",null]}]}})"},
      // A large answer (its buffers are given back), then a small one.
      {method_id::GetProjectData, wide_project(5000)},
      {method_id::GetProjectData, wide_project(2)},
      {method_id::GetProjects, R"({"Projects":[{"ProjectId":"P2","Url":"v"}]})"},
  };
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < answers.size(); ++i) {
      CAPTURE(round);
      CAPTURE(i);
      CHECK(translate(answers[i]) == on_fresh_thread(answers[i]));
    }
  }
  CHECK(translate(answers[5]).starts_with("error 502 GetProjectData: cannot translate V2 answer: Project.DataFields[0].Value"));
}

TEST_CASE("after an answer, a workspace gives back what a large answer made large and keeps the rest") {
  json_to_xml::workspace w;
  w.frames.resize(40);
  w.frames[0].children.assign(200 * 1024, 'x');  // a 5000-field answer's children
  w.frames[1].attrs.assign(1000, 'y');           // a usual element's
  w.frames[1].pending.assign(20 * 1024, 'p');     // just past what is kept
  w.frames[2].values.resize(100);
  w.frames[3].attr_name_set.reserve(1000);
  w.frames[4].attr_names.reserve(1000);  // cleared by every element: its size says nothing
  w.date_scratch.assign(100 * 1024, 'z');
  w.release_large();
  CHECK(w.frames.size() == 16);
  CHECK(w.frames[0].children.capacity() < 16 * 1024);
  CHECK(w.frames[1].pending.capacity() < 16 * 1024);
  CHECK(w.frames[1].attrs.capacity() >= 1000);
  CHECK(w.frames[2].values.capacity() == 0);
  CHECK(w.frames[3].attr_name_set.bucket_count() <= 64);
  CHECK(w.frames[4].attr_names.capacity() == 0);
  CHECK(w.date_scratch.capacity() < 16 * 1024);
}
