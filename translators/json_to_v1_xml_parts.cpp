// Pieces of the V1 element being written (json_to_v1_xml_engine.hpp): attributes (also after
// the start tag is out), <Url Value> children or siblings, flattened objects, inquiry dates.
#include <algorithm>
#include <cstdint>
#include <string>

#include "translators/json_to_v1_xml_engine.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::json_to_xml {

namespace vf = value_format;
using json::kind;
using rules::action;
using rules::attr_map;
using rules::member_rule;

bool engine::type_error(const char* problem, kind got) {
  problem_ = problem;
  problem_ += " (got ";
  problem_ += kind_name(got);
  problem_ += ')';
  return false;
}

bool engine::in_input(std::string_view s) const {
  const auto p = reinterpret_cast<std::uintptr_t>(s.data());
  const auto b = reinterpret_cast<std::uintptr_t>(input_.data());
  return p >= b && p + s.size() <= b + input_.size();
}

// Inquiry dates (method-level rule); other strings pass unchanged.
std::string_view engine::convert_string(std::string_view text) {
  if (rules_.inquiry_dates && vf::is_inquiry_timestamp(text)) {
    date_scratch_.clear();
    vf::append_v1_date(date_scratch_, text.substr(0, 10));
    return date_scratch_;
  }
  return text;
}

void engine::capture_id(frame& f, std::string_view key, std::string_view text) {
  if (key == field_id_member) f.field_id.assign(text);
  else if (key == field_custom_id_member) f.custom_id.assign(text);
}

std::string& engine::child_sink(frame& f) {
  if (f.typed) return f.children;
  if (!f.flushed) {
    std::string& out = *f.out;
    out += '<';
    out += f.name;
    out += f.attrs;
    f.attr_end = out.size();
    out += '>';
    out += f.pending;
    f.pending.clear();
    f.flushed = true;
  }
  return *f.out;
}

void engine::add_attr(frame& f, std::string_view name, std::string_view value, bool stable_name) {
  // First one wins: a duplicate would make the XML ill-formed.
  constexpr std::size_t scan_limit = 16;
  if (f.attr_names.size() < scan_limit) {
    for (auto existing : f.attr_names) {
      if (existing == name) return;
    }
  } else {
    if (f.attr_name_set.empty()) f.attr_name_set.insert(f.attr_names.begin(), f.attr_names.end());
    if (f.attr_name_set.contains(name)) return;
  }
  if (!stable_name) name = f.owned_names.emplace_back(name);
  f.attr_names.push_back(name);
  if (!f.attr_name_set.empty()) f.attr_name_set.insert(name);
  std::string& dst = f.flushed ? f.late_attrs : f.attrs;
  dst += ' ';
  dst += name;
  dst += "=\"";
  vf::append_xml_escaped(dst, value);
  dst += '"';
}

// <Url Value>: url_child makes it the first child of its element as in the V1 samples,
// wherever V2 puts the member (before the start tag is written it waits in `pending`, after
// it is inserted right behind the start tag); url_last the last child; url_beside the next
// sibling.
void engine::emit_url(frame& f, std::string_view url, action act) {
  const bool late = act == action::url_child && !f.typed && f.flushed;
  std::string& dst = act == action::url_beside ? f.beside
                     : act == action::url_last ? f.trailing
                     : f.typed                 ? f.children
                     : late                    ? late_attr_
                                               : f.pending;
  if (late) late_attr_.clear();
  dst += "<Url Value=\"";
  vf::append_xml_escaped(dst, url);
  dst += "\"/>";
  if (late) f.out->insert(f.attr_end + 1, late_attr_);
}

bool engine::read_flat(std::span<const attr_map> map, bool keep_unmapped, int depth, flat_set& set,
                       std::size_t& unmapped) {
  if (depth > json::reader::max_depth) return r_.fail("nesting too deep");
  map = map.first(std::min(map.size(), max_flatten_map));
  set = {};
  unmapped = 0;
  r_.begin_container();
  std::string_view key;
  while (r_.next_key(key, flat_key_)) {
    const kind k = r_.peek();
    bool ok = true;
    if (k == kind::object || k == kind::array) {
      ok = r_.skip_value(depth + 1);
    } else if (k == kind::null) {
      ok = r_.read_null();
    } else {
      std::string_view text;
      ok = read_scalar(k, text, flat_value_);
      bool mapped = false;
      for (std::size_t i = 0; ok && i < map.size(); ++i) {
        if (map[i].from != key) continue;
        flat_values_[i].assign(text);
        set[i] = true;
        mapped = true;
      }
      if (ok && !mapped && keep_unmapped) {
        if (flat_unmapped_.size() <= unmapped) flat_unmapped_.emplace_back();
        flat_unmapped_[unmapped].first.assign(key);
        flat_unmapped_[unmapped].second.assign(text);
        ++unmapped;
      }
    }
    if (!ok) {
      path_.emplace_back(key);
      return false;
    }
  }
  return !r_.failed();
}

bool engine::flatten(frame& f, const member_rule& rule, int depth) {
  flat_set set;
  std::size_t unmapped = 0;
  if (!read_flat(rule.map, rule.keep_unmapped, depth, set, unmapped)) return false;
  const std::size_t n = std::min(rule.map.size(), max_flatten_map);
  for (std::size_t i = 0; i < n; ++i) {
    if (set[i]) add_attr(f, rule.map[i].to, flat_values_[i], true);
  }
  for (std::size_t i = 0; i < unmapped; ++i) {
    std::string storage;
    const auto name = vf::xml_name(flat_unmapped_[i].first, storage);
    add_attr(f, name, flat_unmapped_[i].second, false);
  }
  return true;
}

// The data methods' CurrentStatus (mapping.md §4 rules 3, 8): Status/StatusTimestamp on the
// enclosing element and/or a <CurrentStatus StatusId Name Timestamp/> child, per compat
// data_current_status. The attributes go first so that they are in the start tag.
bool engine::current_status(frame& f, std::string_view key, const member_rule& rule, int depth) {
  const std::size_t n_attrs = std::min(rule.map.size(), max_flatten_map);
  const std::size_t n_elem = std::min(rule.element_map.size(), max_flatten_map - n_attrs);
  std::array<attr_map, max_flatten_map> both{};
  std::copy_n(rule.map.begin(), n_attrs, both.begin());
  std::copy_n(rule.element_map.begin(), n_elem, both.begin() + static_cast<std::ptrdiff_t>(n_attrs));
  flat_set set;
  std::size_t unmapped = 0;
  if (!read_flat(std::span<const attr_map>(both.data(), n_attrs + n_elem), false, depth, set, unmapped)) return false;
  const status_form form = compat_.data_current_status;
  if (form != status_form::element) {
    for (std::size_t i = 0; i < n_attrs; ++i) {
      if (set[i]) add_attr(f, both[i].to, flat_values_[i], true);
    }
  }
  if (form != status_form::attributes) {
    std::string& sink = child_sink(f);
    std::string storage;
    sink += '<';
    sink += vf::xml_name(key, storage);
    for (std::size_t i = n_attrs; i < n_attrs + n_elem; ++i) {
      if (!set[i]) continue;
      bool written = false;  // StatusId and PublicId both name the status id: the first one wins
      for (std::size_t j = n_attrs; j < i; ++j) written = written || (set[j] && both[j].to == both[i].to);
      if (written) continue;
      sink += ' ';
      sink += both[i].to;
      sink += "=\"";
      vf::append_xml_escaped(sink, flat_values_[i]);
      sink += '"';
    }
    sink += "/>";
  }
  return true;
}

}  // namespace pcbridge::translators::json_to_xml
