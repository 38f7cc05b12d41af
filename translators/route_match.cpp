// match_v1: V1 request line -> route row + V2 target. Pure; the table is route_table.cpp.
#include <array>
#include <string>
#include <vector>

#include "translators/query.hpp"
#include "translators/route_detail.hpp"
#include "translators/route_table.hpp"

namespace pcbridge::translators {

namespace {

constexpr std::string_view v1_prefix = "/services.svc/v1";  // compared case-insensitively
constexpr std::string_view v2_prefix = "/services/v2/";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  out.reserve(8);  // the longest V1 path has 8 segments: one allocation
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool is_param(std::string_view pattern_segment) {
  return pattern_segment.size() > 2 && pattern_segment.front() == '{' &&
         pattern_segment.back() == '}';
}

std::string_view param_name(std::string_view pattern_segment) {
  return pattern_segment.substr(1, pattern_segment.size() - 2);
}

// A route row with its patterns split into segments once, not on every request: the table
// is static, and matching a request used to split every row's pattern again.
struct compiled_route {
  const route* row;
  std::vector<std::string_view> v1_parts, v2_parts, v2_admin_parts;
};

const std::vector<compiled_route>& compiled_routes() {
  static const std::vector<compiled_route> table = [] {
    std::vector<compiled_route> out;
    for (const route& r : all_routes()) {
      if (r.id == method_id::Generic) continue;
      out.push_back({&r, split(r.v1_pattern), split(r.v2_template), split(r.v2_admin_template)});
    }
    return out;
  }();
  return table;
}

// Literal segments compare case-insensitively; a {Name} takes any (non-empty) segment raw.
bool pattern_matches(const std::vector<std::string_view>& parts, const std::vector<std::string_view>& segments) {
  if (parts.size() != segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!is_param(parts[i]) && !iequals(parts[i], segments[i])) return false;
  }
  return true;
}

void collect_params(const std::vector<std::string_view>& parts, const std::vector<std::string_view>& segments,
                    std::vector<std::pair<std::string, std::string>>& params) {
  params.clear();
  params.reserve(4);  // no V1 path has more parameters: one allocation, not one per parameter
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (is_param(parts[i])) params.emplace_back(std::string(param_name(parts[i])), std::string(segments[i]));
  }
}

// Appends the template with each {Name} replaced by its raw (still encoded) value.
void fill_template(const std::vector<std::string_view>& parts,
                   const std::vector<std::pair<std::string, std::string>>& params, std::string& out) {
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out += '/';
    first = false;
    if (!is_param(part)) {
      out += part;
      continue;
    }
    for (const auto& [name, value] : params) {
      if (name == param_name(part)) {
        out += value;
        break;
      }
    }
  }
}

std::string_view verb_name(http_verb v) {
  switch (v) {
    case http_verb::get: return "GET";
    case http_verb::post: return "POST";
    case http_verb::put: return "PUT";
    case http_verb::patch: return "PATCH";
    case http_verb::del: return "DELETE";
    case http_verb::head: return "HEAD";
    case http_verb::options: return "OPTIONS";
    case http_verb::other: break;
  }
  return "other";
}

// (I) What an id or other forwarded path segment may decode to: RFC 3986 unreserved
// characters, the ones a path never needs to encode, so upstream reads exactly the id the
// client meant. Public ids are upper-case alphanumerics, project numbers look like "EX-00042",
// custom ids like "MeterNumber" (v1-api.md §2.5, v2-api.md §2.5); no source shows a space,
// a non-ASCII letter or punctuation beyond these in an id, and '/', backslash, '?', '#', '&', ';',
// '%' or NUL in one would let a V1 id change the meaning of the V2 path.
constexpr std::string_view id_characters =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

// id_characters as a table: find_first_not_of scans the 66-character set for every byte.
constexpr std::array<bool, 256> id_character_table = [] {
  std::array<bool, 256> table{};
  for (char c : id_characters) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool all_id_characters(std::string_view s) {
  for (char c : s)
    if (!id_character_table[static_cast<unsigned char>(c)]) return false;
  return true;
}

// Refuses what could make the V2 path mean something else than the V1 one: empty
// segments, dot segments (also percent-encoded: upstream may decode before routing), and
// segments that decode to anything outside id_characters (which also catches a dot segment
// encoded twice: its first decoding still holds '%').
outcome<std::vector<std::string_view>> checked_segments(std::string_view rest) {
  auto segments = split(rest);
  for (std::string_view s : segments) {
    if (s.empty()) return failure{400, "empty path segment ('//') in the request path"};
    // A segment of id characters only has no '%': it is its own decoding, checked without a copy.
    if (s != "." && s != ".." && all_id_characters(s)) continue;
    const auto decoded = percent_decode(s);
    if (!decoded) return failure{400, "malformed percent-encoding in the request path"};
    if (*decoded == "." || *decoded == "..") {
      return failure{400, "'.' and '..' segments are not allowed in the request path"};
    }
    if (!all_id_characters(*decoded)) {
      return failure{400, "path segment \"" + quote_for_message(s) +
                              "\" is not allowed: ids and path segments may only hold letters, digits, "
                              "'-', '_', '.' and '~'"};
    }
  }
  return segments;
}

}  // namespace

outcome<route_match> match_v1(http_verb verb, std::string_view target,
                              const match_options& opts) {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::string_view query;
  if (const auto q = target.find('?'); q != std::string_view::npos) {
    query = target.substr(q + 1);
    query = query.substr(0, query.find('#'));
  }

  const failure not_v1{404, "not a V1 API path: V1 paths start with /Services.svc/v1/"};
  if (path.size() <= v1_prefix.size() || !iequals(path.substr(0, v1_prefix.size()), v1_prefix) ||
      path[v1_prefix.size()] != '/') {
    return not_v1;
  }
  std::string_view rest = path.substr(v1_prefix.size() + 1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);  // tolerated, not forwarded
  if (rest.empty()) return not_v1;

  auto segments = checked_segments(rest);
  if (!segments) return segments.error();

  route_match m;
  const compiled_route* found = nullptr;
  std::string allowed;  // verbs of rows whose path matched, for the 405
  for (const compiled_route& c : compiled_routes()) {
    if (!pattern_matches(c.v1_parts, *segments)) continue;
    if (c.row->verb == verb) {
      found = &c;
      break;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += verb_name(c.row->verb);
  }
  if (found == nullptr && !allowed.empty()) {
    return failure{405, "method " + std::string(verb_name(verb)) +
                            " is not allowed on this path; allowed: " + allowed};
  }

  auto v2_query = rewrite_v1_query(query, opts.default_offset);
  if (!v2_query) return v2_query.error();
  // A guess at the V2 length: templates add segments such as "/Draft"; a longer path grows once.
  m.v2_target.reserve(v2_prefix.size() + rest.size() + 32 + 1 + v2_query->size());
  m.v2_target += v2_prefix;
  if (found != nullptr) {
    m.matched = found->row;
    collect_params(found->v1_parts, *segments, m.params);
    const bool admin = opts.admin && !m.matched->v2_admin_template.empty();
    fill_template(admin ? found->v2_admin_parts : found->v2_parts, m.params, m.v2_target);
  } else {
    m.matched = verb == http_verb::get ? &generic_get_route() : &route_for(method_id::Generic);
    m.v2_target += rest;
  }
  if (!v2_query->empty()) {
    m.v2_target += '?';
    m.v2_target += *v2_query;
  }
  return m;
}

}  // namespace pcbridge::translators
