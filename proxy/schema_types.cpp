#include "proxy/schema_types.hpp"

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

// One form's schema, cached; `program` and `form` already percent-encoded.
awaitable<std::optional<tr::field_type_map>> schema_of(const gateway& g, request_state& st, const std::string& program,
                                                       const std::string& form) {
  const api_call call{http::verb::get, "/services/v2/Programs/" + program + "/Forms/" + form + "/Schema", {}, {}, true};
  shared_outcome schema =
      co_await call_shared(g, st, call, std::chrono::seconds(g.cfg->upstream.schema_cache_ttl_s), cache_name::schema);
  if (!is_success(schema)) co_return std::nullopt;
  auto types = tr::field_types_from_schema(schema.result->response.body());
  if (!types) co_return std::nullopt;
  co_return std::move(*types);
}

// Every form of the program: GetForms (shared with the clients' own GetForms answers, under
// the metadata TTL), then each form's schema.
awaitable<std::optional<tr::field_type_map>> program_types(const gateway& g, request_state& st,
                                                           const std::string& program) {
  const api_call forms_call{http::verb::get, "/services/v2/Programs/" + program + "/Forms", {}, {}, true};
  shared_outcome forms =
      co_await call_shared(g, st, forms_call, std::chrono::seconds(g.cfg->upstream.metadata_cache_ttl_s),
                           cache_name::metadata);
  if (!is_success(forms)) co_return std::nullopt;
  auto ids = tr::form_ids_from_forms(forms.result->response.body());
  if (!ids || ids->empty()) co_return std::nullopt;
  if (ids->size() > max_program_forms) ids->resize(max_program_forms);
  std::vector<tr::field_type_map> maps;
  for (const std::string& id : *ids) {
    const std::string encoded = tr::percent_encode_query_value(id);
    auto one = co_await schema_of(g, st, program, encoded);
    if (one) maps.push_back(std::move(*one));
  }
  if (maps.empty()) co_return std::nullopt;
  co_return tr::merge_field_types(maps);
}

}  // namespace

awaitable<std::shared_ptr<const tr::field_type_map>> field_types_for(const gateway& g, request_state& st) {
  const std::string program = param(st, "ProgramId");
  if (program.empty()) co_return nullptr;
  std::optional<tr::field_type_map> types;
  switch (st.route->typing) {
    case tr::field_typing::none: co_return nullptr;
    case tr::field_typing::form_schema: {
      const std::string form = param(st, "FormId");
      if (form.empty()) co_return nullptr;
      types = co_await schema_of(g, st, program, form);
      break;
    }
    case tr::field_typing::program_schemas: types = co_await program_types(g, st, program); break;
  }
  if (!types) co_return nullptr;
  co_return std::make_shared<const tr::field_type_map>(std::move(*types));
}

}  // namespace pcbridge::proxy
