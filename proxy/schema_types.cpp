#include "proxy/schema_types.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "proxy/shared_call.hpp"
#include "translators/query.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::proxy {

namespace tr = translators;

namespace {

// At most this many form schemas are fetched for one program (each is an operation of the
// key's 60 per minute on a cold cache); fields of further forms are typed by pattern.
constexpr std::size_t max_program_forms = 20;

std::string param(const request_state& st, std::string_view name) {
  for (const auto& [n, value] : st.params) {
    if (n == name) return value;
  }
  return {};
}

template <class T, class Make>
std::shared_ptr<const T> derive(parsed_answers<T>* cache, const typename parsed_answers<T>::sources& from, Make make) {
  return cache ? cache->get(from, make) : make(from);
}

struct typed_schema {
  std::shared_ptr<const upstream_result> answer;   // the GetFormSchema answer the types came from
  std::shared_ptr<const tr::field_type_map> types;  // null: no usable schema
};

std::string schema_target(const std::string& program, const std::string& form) {
  return "/services/v2/Programs/" + program + "/Forms/" + form + "/Schema";
}

// The types of one schema answer, parsed once per cached answer (gateway::parsed).
std::shared_ptr<const tr::field_type_map> types_of_schema(const gateway& g,
                                                          const std::shared_ptr<const upstream_result>& answer) {
  return derive(g.parsed ? &g.parsed->form_types : nullptr, {answer}, [](const auto& from) {
    auto parsed = tr::field_types_from_schema(from[0]->response.body());
    return parsed ? std::make_shared<const tr::field_type_map>(std::move(*parsed)) : nullptr;
  });
}

// One form's schema, cached, and its types; `program` and `form` already percent-encoded.
awaitable<typed_schema> schema_of(const gateway& g, request_state& st, const std::string& program,
                                  const std::string& form) {
  const api_call call{http::verb::get, schema_target(program, form), {}, {}, true};
  shared_outcome schema =
      co_await call_shared(g, st, call, std::chrono::seconds(g.cfg->upstream.schema_cache_ttl_s), cache_name::schema);
  if (!is_success(schema)) co_return typed_schema{};
  auto types = types_of_schema(g, schema.result);
  co_return typed_schema{std::move(schema.result), std::move(types)};
}

// Every form of the program: GetForms (shared with the clients' own GetForms answers, under
// the metadata TTL), then each form's schema; the merge is kept as long as those schemas.
awaitable<std::shared_ptr<const tr::field_type_map>> program_types(const gateway& g, request_state& st,
                                                                   const std::string& program) {
  const api_call forms_call{http::verb::get, "/services/v2/Programs/" + program + "/Forms", {}, {}, true};
  shared_outcome forms =
      co_await call_shared(g, st, forms_call, std::chrono::seconds(g.cfg->upstream.metadata_cache_ttl_s),
                           cache_name::metadata);
  if (!is_success(forms)) co_return nullptr;
  auto ids = derive(g.parsed ? &g.parsed->form_ids : nullptr, {forms.result}, [](const auto& from) {
    auto parsed = tr::form_ids_from_forms(from[0]->response.body());
    return parsed ? std::make_shared<const std::vector<std::string>>(std::move(*parsed)) : nullptr;
  });
  if (!ids || ids->empty()) co_return nullptr;
  const std::size_t count = std::min(ids->size(), max_program_forms);
  parsed_answers<tr::field_type_map>::sources answers;
  std::vector<std::shared_ptr<const tr::field_type_map>> maps;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string encoded = tr::percent_encode_query_value((*ids)[i]);
    typed_schema one = co_await schema_of(g, st, program, encoded);
    if (!one.types) continue;
    answers.push_back(std::move(one.answer));
    maps.push_back(std::move(one.types));
  }
  if (maps.empty()) co_return nullptr;
  co_return derive(g.parsed ? &g.parsed->merged_types : nullptr, answers, [&maps](const auto&) {
    std::vector<tr::field_type_map> copies;
    copies.reserve(maps.size());
    for (const auto& m : maps) copies.push_back(*m);
    return std::make_shared<const tr::field_type_map>(tr::merge_field_types(copies));
  });
}

}  // namespace

awaitable<std::shared_ptr<const tr::field_type_map>> field_types_for(const gateway& g, request_state& st) {
  const std::string program = param(st, "ProgramId");
  if (program.empty()) co_return nullptr;
  switch (st.route->typing) {
    case tr::field_typing::none: co_return nullptr;
    case tr::field_typing::form_schema: {
      const std::string form = param(st, "FormId");
      if (form.empty()) co_return nullptr;
      typed_schema one = co_await schema_of(g, st, program, form);
      co_return std::move(one.types);
    }
    case tr::field_typing::program_schemas: co_return co_await program_types(g, st, program);
  }
  co_return nullptr;
}

std::shared_ptr<const tr::field_type_map> cached_field_types(const gateway& g, const request_state& st) {
  if (st.route->typing != tr::field_typing::form_schema) return nullptr;
  const std::string program = param(st, "ProgramId");
  const std::string form = param(st, "FormId");
  if (program.empty() || form.empty()) return nullptr;
  const auto answer = peek_shared(g, st, schema_target(program, form));
  if (!answer || !is_success(*answer)) return nullptr;
  return types_of_schema(g, answer);
}

}  // namespace pcbridge::proxy
