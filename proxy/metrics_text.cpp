#include "proxy/metrics_text.hpp"

#include <charconv>

namespace pcbridge::proxy::metrics_text {

namespace {

template <class Value>
void sample(std::string& out, std::string_view name, std::span<const label> labels, Value value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [key, val] : labels) {
      if (!first) out += ',';
      first = false;
      out += key;
      out += "=\"";
      append_escaped(out, val);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_number(out, value);
  out += '\n';
}

}  // namespace


void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
    out.append(buf, end);
  }
}

void append_family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;  // constant text below: no backslashes or newlines to escape
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_sample(std::string& out, std::string_view name, std::span<const label> labels, std::uint64_t value) {
  sample(out, name, labels, value);
}
void append_sample(std::string& out, std::string_view name, std::span<const label> labels, double value) {
  sample(out, name, labels, value);
}

void append_histogram(std::string& out, std::string_view name, const histogram& h, std::span<const label> labels) {
  const std::string bucket = std::string(name) + "_bucket";
  std::vector<label> with_le(labels.begin(), labels.end());
  with_le.emplace_back("le", "");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= h.bounds.size(); ++i) {
    cumulative += h.counts[i];
    std::string le;
    if (i < h.bounds.size()) {
      append_number(le, h.bounds[i]);
    } else {
      le = "+Inf";
    }
    with_le.back().second = le;
    append_sample(out, bucket, with_le, cumulative);
  }
  append_sample(out, std::string(name) + "_sum", labels, h.sum);
  append_sample(out, std::string(name) + "_count", labels, h.count);
}

}  // namespace pcbridge::proxy::metrics_text
