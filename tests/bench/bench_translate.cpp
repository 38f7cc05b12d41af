// Throughput of the body translators on generated inputs (bytes/s = input bytes):
//   - a 1000-project GetProjects page (V2 JSON -> V1 XML)
//   - a 500-field GetProjectData answer (V2 JSON -> V1 XML, with a schema type map)
//   - the 50-field GetProjectData answer of scripts/bench-proxy.sh, with its schema
//   - a 500-field SetProjectData request (V1 XML -> V2 JSON), every step the pipeline runs
//   - large bodies: 10,000 and 100,000 generic siblings against a linear baseline, many
//     SetProjectData fields, a V2 object with many members (issue 8 item 3)
// plus, on the same two answers, a naive DOM baseline (nlohmann DOM -> pugixml DOM -> string)
// applying the same main rules, so the run prints the ratio of the streaming design.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "translators/translate.hpp"

using namespace pcbridge::translators;

namespace {

std::string id(const char* prefix, int i) {
  std::string s = prefix;
  std::string n = std::to_string(i);
  s.append(12 - s.size() - n.size(), '0');
  return s + n;
}

std::string projects_page(int count) {
  std::string s = "{\"Projects\":[";
  for (int i = 0; i < count; ++i) {
    if (i) s += ',';
    const std::string pid = id("PRJ", i);
    s += "{\"ProjectId\":\"" + pid + "\",\"ProgramId\":\"PRG0M4A7B2CD\",\"ProjectNumber\":\"EX-" + std::to_string(10000 + i) +
         "\",\"Url\":\"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=" + pid +
         "\",\"LastChangeTimestamp\":\"2024-05-01T12:52:11-07:00\",\"ProjectOwner\":{\"Name\":\"Pat Owner " +
         std::to_string(i) + "\",\"Email\":\"owner" + std::to_string(i) +
         "@example.com\"},\"CurrentStatus\":{\"StatusId\":\"S1R2V3W4X5Y6\",\"CustomId\":" +
         (i % 3 ? std::string("null") : std::string("\"AppReview\"")) +
         ",\"Name\":\"Application Review\",\"Timestamp\":\"2024-04-30T16:19:40-07:00\"}}";
  }
  s += "],\"RequestTimestamp\":\"2024-05-01T13:00:00.1234567-07:00\"}";
  return s;
}

const char* field_type(int i) { return i % 5 == 0 ? "Date" : i % 7 == 0 ? "Boolean" : "Text"; }

std::string field_value(int i) {
  if (i % 5 == 0) return "2024-02-" + std::to_string(10 + i % 18);
  if (i % 7 == 0) return i % 2 ? "true" : "false";
  return "Value of field " + std::to_string(i) + " with some text & more";
}

std::string data_answer(int fields) {
  std::string s =
      "{\"Project\":{\"ProjectId\":\"PRJ7K2M9Q4XZ\",\"ProgramId\":\"PRG0M4A7B2CD\",\"ProjectNumber\":\"APP-00107\","
      "\"Url\":\"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=PRJ7K2M9Q4XZ\","
      "\"LastChangeTimestamp\":\"2024-02-14T15:15:55-08:00\",\"CurrentStatus\":{\"StatusId\":\"ST8R1V6N3LQA\",\"CustomId\":null,"
      "\"Name\":\"Unsubmitted\",\"Timestamp\":\"2024-02-14T15:10:02-08:00\"},\"CanSubmit\":true,\"DataFields\":[";
  for (int i = 0; i < fields; ++i) {
    if (i) s += ',';
    s += "{\"DataFieldId\":\"" + id("DF", i) + "\",\"CustomId\":" + (i % 4 ? std::string("null") : "\"Custom" + std::to_string(i) + "\"") +
         ",\"Name\":\"Field number " + std::to_string(i) + "\",";
    if (i % 10 == 3) {
      s += "\"Value\":null,\"Values\":[\"" + field_value(i) + "\",\"\",\"" + field_value(i + 1) + "\"]}";
    } else {
      s += "\"Value\":\"" + field_value(i) + "\",\"Values\":null}";
    }
  }
  s += "],\"Attachments\":[{\"AttachmentId\":\"8MK2QW5ZT1AB\",\"CustomId\":null,\"Name\":\"Utility Bill\",\"FileName\":\"bill.pdf\"}]}}";
  return s;
}

std::string schema(int fields) {
  std::string s = "{\"FormSchema\":{\"FormId\":\"F1\",\"DataFields\":[";
  for (int i = 0; i < fields; ++i) {
    if (i) s += ',';
    s += "{\"DataFieldId\":\"" + id("DF", i) + "\",\"Type\":\"" + field_type(i) + "\"}";
  }
  return s + "]}}";
}

std::string data_request(int fields) {
  std::string s = "<ProjectDataRequest xmlns=\"http://service.powerclerk.com/api/v1/\">\n  <Project ProjectId=\"PROJ0001\" FormId=\"FORM0001\">\n    <DataFields>\n";
  for (int i = 0; i < fields; ++i) {
    std::string v = field_value(i);
    if (i % 5 == 0) v = "02/" + std::to_string(10 + i % 18) + "/2024";
    if (i % 7 == 0 && i % 5) v = i % 2 ? "True" : "False";
    std::string esc;
    for (char c : v) esc += c == '&' ? std::string("&amp;") : std::string(1, c);
    const std::string head = "      <DataField DataFieldId=\"" + id("DF", i) + "\" Name=\"Field number " + std::to_string(i) + "\" Value=\"" + esc + "\"";
    if (i % 10 == 3) {
      s += head + " Instance=\"0\"/>\n";
      s += "      <DataField DataFieldId=\"" + id("DF", i) + "\" Name=\"Field number " + std::to_string(i) + "\" Value=\"x\" Instance=\"1\"/>\n";
    } else {
      s += head + "/>\n";
    }
  }
  return s + "    </DataFields>\n  </Project>\n</ProjectDataRequest>\n";
}

// ---- Naive DOM baseline: the same main rules over nlohmann + pugixml DOMs.

bool is_date(const std::string& v) {
  return v.size() == 10 && v[4] == '-' && v[7] == '-';
}

void dom_element(pugi::xml_node parent, const std::string& name, const nlohmann::json& obj);

void dom_members(pugi::xml_node el, const nlohmann::json& obj) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    const auto& v = it.value();
    if (v.is_null()) continue;
    if (key == "CurrentStatus" && v.is_object()) {
      if (v.contains("Name") && v["Name"].is_string()) el.append_attribute("Status") = v["Name"].get<std::string>().c_str();
      if (v.contains("Timestamp") && v["Timestamp"].is_string())
        el.append_attribute("StatusTimestamp") = v["Timestamp"].get<std::string>().c_str();
      if (v.contains("StatusId") && v["StatusId"].is_string())
        el.append_attribute("StatusPublicId") = v["StatusId"].get<std::string>().c_str();
    } else if (key == "ProjectOwner" && v.is_object()) {
      if (v.contains("Email") && v["Email"].is_string())
        el.append_attribute("OwnerEmailAddress") = v["Email"].get<std::string>().c_str();
    } else if (key == "Url" && v.is_string()) {
      el.prepend_child("Url").append_attribute("Value") = v.get<std::string>().c_str();
    } else if (v.is_object()) {
      dom_element(el, key, v);
    } else if (v.is_array()) {
      auto wrapper = el.append_child(key.c_str());
      const std::string item = key.back() == 's' ? key.substr(0, key.size() - 1) : key + "Item";
      for (const auto& x : v) {
        if (x.is_object()) dom_element(wrapper, item, x);
      }
    } else if (v.is_string()) {
      el.append_attribute(key.c_str()) = v.get<std::string>().c_str();
    } else if (v.is_boolean()) {
      el.append_attribute(key.c_str()) = v.get<bool>() ? "True" : "False";
    } else {
      el.append_attribute(key.c_str()) = v.dump().c_str();
    }
  }
}

void dom_element(pugi::xml_node parent, const std::string& name, const nlohmann::json& obj) {
  if (name == "DataField" && obj.contains("Values") && obj["Values"].is_array()) {
    int i = 0;
    for (const auto& v : obj["Values"]) {
      auto el = parent.append_child("DataField");
      el.append_attribute("DataFieldId") = obj.value("DataFieldId", "").c_str();
      el.append_attribute("Name") = obj.value("Name", "").c_str();
      std::string s = v.is_string() ? v.get<std::string>() : "";
      if (is_date(s)) s = s.substr(5, 2) + "/" + s.substr(8, 2) + "/" + s.substr(0, 4);
      el.append_attribute("Value") = s.c_str();
      el.append_attribute("Instance") = i++;
    }
    return;
  }
  auto el = parent.append_child(name.c_str());
  dom_members(el, obj);
}

std::string dom_translate(const std::string& json, const char* root) {
  const auto doc = nlohmann::json::parse(json);
  pugi::xml_document x;
  auto decl = x.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  auto r = x.append_child(root);
  r.append_attribute("xmlns") = "http://service.powerclerk.com/api/v1/";
  dom_members(r, doc);
  std::ostringstream out;
  x.save(out, "", pugi::format_raw);
  return out.str();
}

// ---- Benchmarks

void BM_GetProjects_1000(benchmark::State& state) {
  const std::string input = projects_page(1000);
  const translate_context ctx;
  for (auto _ : state) {
    auto r = v2_response_to_v1(method_id::GetProjects, input, ctx);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
  state.counters["input_bytes"] = static_cast<double>(input.size());
}
BENCHMARK(BM_GetProjects_1000);

// A GetProjectData answer translated with its form's types, as the pipeline does.
void translate_project_data(benchmark::State& state, const std::string& input, const std::string& form_schema) {
  auto types = field_types_from_schema(form_schema);
  if (!types) {
    state.SkipWithError(types.error().message.c_str());
    return;
  }
  translate_context ctx;
  ctx.types = &types.value();
  for (auto _ : state) {
    auto r = v2_response_to_v1(method_id::GetProjectData, input, ctx);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
  state.counters["input_bytes"] = static_cast<double>(input.size());
}

void BM_GetProjectData_500(benchmark::State& state) { translate_project_data(state, data_answer(500), schema(500)); }
BENCHMARK(BM_GetProjectData_500);

// The case scripts/bench-proxy.sh serves (issue 11): 50 fields (Text, Date, Boolean, Number;
// every fifth multi-instance with two Values), the answer or (schema) its form schema.
std::string proxy_case(bool schema) {
  static constexpr const char* types[] = {"Text", "Date", "Boolean", "Number"};
  std::string s = schema ? "{\"FormSchema\":{\"FormId\":\"FRM1\",\"CustomId\":null,\"Name\":\"Interconnection Application\","
                           "\"DataFields\":["
                         : "{\"Project\":{\"ProjectId\":\"PRJ7K2M9Q4XZ\",\"ProgramId\":\"PRG0M4A7B2CD\",\"ProjectNumber\":\"APP-00107\","
                           "\"Url\":\"http://yourprogram.powerclerk.com/MvcProjects/LandingPage?ProgramId=PRG0M4A7B2CD&ProjectId=PRJ7K2M9Q4XZ\","
                           "\"LastChangeTimestamp\":\"2024-02-14T15:15:55-08:00\",\"CurrentStatus\":{\"StatusId\":\"ST8R1V6N3LQA\","
                           "\"CustomId\":null,\"Name\":\"Unsubmitted\",\"Timestamp\":\"2024-02-14T15:10:02-08:00\"},\"CanSubmit\":true,"
                           "\"DataFields\":[";
  for (int i = 1; i <= 50; ++i) {
    const std::string n{static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10)};  // seq -w
    const int day = i % 28 + 1;
    const std::string v = i % 4 == 0   ? "\"Some free text for field " + n + ", long enough to look real\""
                          : i % 4 == 1 ? "\"2024-02-" + std::string{static_cast<char>('0' + day / 10), static_cast<char>('0' + day % 10)} + '"'
                          : i % 4 == 2 ? std::string("\"true\"")
                                       : '"' + std::to_string(i * 1234) + '"';
    const bool multi = i % 5 == 0;
    if (i > 1) s += ',';
    s += "{\"DataFieldId\":\"DF" + n + "FIELD0" + n + "\",\"CustomId\":" + (multi || schema ? "null" : "\"Custom" + n + '"') +
         ",\"Name\":\"Field " + n + "\",";
    if (schema) s += "\"Type\":\"" + std::string(types[i % 4]) + '"' + (multi ? ",\"MultiInstance\":true}" : "}");
    else s += multi ? "\"Value\":null,\"Values\":[" + v + ',' + v + "]}" : "\"Value\":" + v + ",\"Values\":null}";
  }
  return s + (schema ? "]}}" : "],\"Attachments\":[]}}");
}

void BM_GetProjectData_50_proxy(benchmark::State& state) {
  translate_project_data(state, proxy_case(false), proxy_case(true));
}
BENCHMARK(BM_GetProjectData_50_proxy);

// The request path as the pipeline runs it (proxy/pipeline.cpp): the body is parsed once and
// translated before any token or schema fetch: typed at once when the form's schema is
// cached (the steady state, BM_SetProjectData_request_500), else without types first, then
// again with them (the first request of a schema TTL, ..._schema_not_cached). Multi-instance
// fields written partly: the first step's fields are patched into the current data.
void translate_set_project_data(benchmark::State& state, bool schema_cached) {
  const std::string input = data_request(500);
  const std::string current = data_answer(500);
  auto types = field_types_from_schema(schema(500));
  translate_context ctx;
  ctx.types = &types.value();
  const translate_context untyped;
  for (auto _ : state) {
    auto parsed = read_v1_request(method_id::SetProjectData, input, schema_cached ? ctx : untyped);
    if (!parsed) {
      state.SkipWithError(parsed.error().message.c_str());
      break;
    }
    auto r = v1_request_to_v2(*parsed, schema_cached ? ctx : untyped);
    if (r && !schema_cached) r = v1_request_to_v2(*parsed, ctx);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    if (r->needs_current_data) {
      auto patched = v1_request_to_v2_with_current(*r, current);
      if (!patched) state.SkipWithError(patched.error().message.c_str());
      benchmark::DoNotOptimize(patched);
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
  state.counters["input_bytes"] = static_cast<double>(input.size());
}

void BM_SetProjectData_request_500(benchmark::State& state) { translate_set_project_data(state, true); }
BENCHMARK(BM_SetProjectData_request_500);

void BM_SetProjectData_request_500_schema_not_cached(benchmark::State& state) {
  translate_set_project_data(state, false);
}
BENCHMARK(BM_SetProjectData_request_500_schema_not_cached);

void BM_DomBaseline_GetProjects_1000(benchmark::State& state) {
  const std::string input = projects_page(1000);
  for (auto _ : state) benchmark::DoNotOptimize(dom_translate(input, "ProjectsResponse"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_DomBaseline_GetProjects_1000);

void BM_DomBaseline_GetProjectData_500(benchmark::State& state) {
  const std::string input = data_answer(500);
  for (auto _ : state) benchmark::DoNotOptimize(dom_translate(input, "ProjectDataGetResponse"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_DomBaseline_GetProjectData_500);

// ---- Large bodies (issue 8 item 3): time must grow linearly with the element count. Each
// case runs at 10,000 and 100,000 elements; per-element time (items/s) staying flat is the
// linearity check, and the baseline (pugixml parse + one pass writing every element as a JSON
// member, the floor any translation pays) gives the ratio in the same run.

std::string generic_siblings(int count) {
  std::string s = "<SetInquiryNoteRequest xmlns=\"http://service.powerclerk.com/api/v1/\">";
  for (int i = 0; i < count; ++i) {
    const std::string name = "Note" + std::to_string(i);
    s += "<" + name + ">text " + std::to_string(i) + "</" + name + ">";
  }
  return s + "</SetInquiryNoteRequest>";
}

std::string linear_baseline(const std::string& xml) {
  pugi::xml_document doc;
  doc.load_buffer(xml.data(), xml.size());
  std::string out = "{";
  for (pugi::xml_node c = doc.document_element().first_child(); c; c = c.next_sibling()) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += c.name();
    out += "\":\"";
    out += c.child_value();
    out += '"';
  }
  return out + "}";
}

void set_counters(benchmark::State& state, const std::string& input) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["input_bytes"] = static_cast<double>(input.size());
}

void BM_Generic_siblings(benchmark::State& state) {
  const std::string input = generic_siblings(static_cast<int>(state.range(0)));
  const translate_context ctx;
  for (auto _ : state) {
    auto r = v1_request_to_v2(method_id::SetInquiryNote, input, ctx);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  set_counters(state, input);
}
BENCHMARK(BM_Generic_siblings)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LinearBaseline_siblings(benchmark::State& state) {
  const std::string input = generic_siblings(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(linear_baseline(input));
  set_counters(state, input);
}
BENCHMARK(BM_LinearBaseline_siblings)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

std::string single_fields(int count) {
  std::string s = "<ProjectDataRequest xmlns=\"http://service.powerclerk.com/api/v1/\"><Project><DataFields>";
  for (int i = 0; i < count; ++i) s += "<DataField DataFieldId=\"" + id("DF", i) + "\" Value=\"v\"/>";
  return s + "</DataFields></Project></ProjectDataRequest>";
}

void BM_SetProjectData_single_fields(benchmark::State& state) {
  const std::string input = single_fields(static_cast<int>(state.range(0)));
  const translate_context ctx;
  for (auto _ : state) {
    auto r = v1_request_to_v2(method_id::SetProjectData, input, ctx);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  set_counters(state, input);
}
BENCHMARK(BM_SetProjectData_single_fields)->Arg(10000)->Arg(66000)->Unit(benchmark::kMillisecond);

// The response direction: a V2 object with many scalar members, each written as an attribute.
std::string wide_answer(int count) {
  std::string s = "{\"Thing\":{";
  for (int i = 0; i < count; ++i) {
    if (i) s += ',';
    s += "\"M" + std::to_string(i) + "\":\"v\"";
  }
  return s + "}}";
}

void BM_Response_wide_object(benchmark::State& state) {
  const std::string input = wide_answer(static_cast<int>(state.range(0)));
  const translate_context ctx;
  for (auto _ : state) {
    auto r = v2_response_to_v1(method_id::Generic, input, ctx);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  set_counters(state, input);
}
BENCHMARK(BM_Response_wide_object)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
