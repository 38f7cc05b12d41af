#include "translators/query.hpp"

#include <array>
#include <cstdint>
#include <vector>

#include "translators/route_table.hpp"

namespace pcbridge::translators {

namespace {

enum class param_kind { drop, changed_since, limit, offset, boolean };

struct known_param {
  std::string_view name;  // V2 spelling, written out; matched case-insensitively
  param_kind kind;
};

// version/v select V1 response shapes, include_calculated_fields asks for V1-only
// calculated fields: V2 has neither, and rejects nothing it does not know, so drop them.
constexpr std::array<known_param, 9> known_ = {{
    {"version", param_kind::drop},
    {"v", param_kind::drop},
    {"include_calculated_fields", param_kind::drop},
    {"changed_since", param_kind::changed_since},
    {"limit", param_kind::limit},
    {"offset", param_kind::offset},
    {"reveal_sensitive_data", param_kind::boolean},
    {"run_followup_actions", param_kind::boolean},
    {"AutoCommunication", param_kind::boolean},
}};

constexpr std::int64_t max_limit = 1000;         // V2's documented maximum
constexpr std::int64_t max_offset = 2147483647;  // V2 ids and counts are 32-bit

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const known_param* find_known(std::string_view raw_key) {
  const auto key = percent_decode(raw_key);
  if (!key) return nullptr;
  for (const auto& k : known_) {
    if (iequals(*key, k.name)) return &k;
  }
  return nullptr;
}

failure bad_value(std::string_view name, std::string_view expected, std::string_view value) {
  return {400, "query parameter " + std::string(name) + " must be " + std::string(expected) +
                   ", got \"" + quote_for_message(value) + "\""};
}

outcome<std::string> rewrite_count(const known_param& p, std::string_view value) {
  const std::int64_t max = p.kind == param_kind::limit ? max_limit : max_offset;
  const std::string_view expected = p.kind == param_kind::limit
                                        ? "an integer from 0 to 1000"
                                        : "a non-negative integer";
  // Ten digits hold any 32-bit value; more would only overflow the parse.
  if (value.empty() || value.size() > 10) return bad_value(p.name, expected, value);
  std::int64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return bad_value(p.name, expected, value);
    n = n * 10 + (c - '0');
  }
  if (n > max) return bad_value(p.name, expected, value);
  return std::to_string(n);
}

outcome<std::string> rewrite_boolean(const known_param& p, std::string_view value) {
  // .NET clients format bools as True/False; V2 wants the JSON spelling.
  if (iequals(value, "true")) return std::string("true");
  if (iequals(value, "false")) return std::string("false");
  return bad_value(p.name, "true or false", value);
}

outcome<std::string> rewrite_value(const known_param& p, std::string_view raw_value,
                                   std::string_view default_offset) {
  const auto value = percent_decode(raw_value);
  if (!value) return bad_value(p.name, "validly percent-encoded", raw_value);
  switch (p.kind) {
    case param_kind::changed_since: {
      auto normalized = normalize_changed_since(*value, default_offset);
      if (!normalized) return normalized.error();
      return percent_encode_query_value(*normalized);
    }
    case param_kind::limit:
    case param_kind::offset:
      return rewrite_count(p, *value);
    case param_kind::boolean:
      return rewrite_boolean(p, *value);
    case param_kind::drop:
      break;
  }
  return std::string();
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;  // needs two hex digits
    const int hi = hex_value(raw[i + 1]);
    const int lo = hex_value(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string percent_encode_query_value(std::string_view value) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                      c == ':';
    if (keep) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += digits[b >> 4];
      out += digits[b & 0x0F];
    }
  }
  return out;
}

std::string quote_for_message(std::string_view value) {
  constexpr std::size_t max_chars = 64;
  std::string out;
  for (std::size_t i = 0; i < value.size() && i < max_chars; ++i) {
    const char c = value[i];
    out += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  if (value.size() > max_chars) out += "...";
  return out;
}

outcome<std::string> rewrite_v1_query(std::string_view raw_query,
                                      std::string_view default_offset) {
  std::string out;
  std::vector<const known_param*> seen;
  while (!raw_query.empty()) {
    const auto amp = raw_query.find('&');
    const std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2", trailing '&'

    const auto eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);

    std::string kept;
    if (const known_param* p = find_known(raw_key)) {
      if (p->kind == param_kind::drop) continue;
      for (const known_param* s : seen) {
        if (s == p) {
          return failure{400, "query parameter " + std::string(p->name) +
                                  " is given more than once"};
        }
      }
      seen.push_back(p);
      auto value = rewrite_value(*p, raw_value, default_offset);
      if (!value) return value.error();
      kept = std::string(p->name) + "=" + *value;
    } else {
      kept = std::string(pair);  // not ours to judge: V2 answers for it
    }
    if (!out.empty()) out += '&';
    out += kept;
  }
  return out;
}

}  // namespace pcbridge::translators
