// Data fields of the V1 answer (json_to_v1_xml_engine.hpp): Value/Values typed Date/Boolean
// through the form schema (exact-pattern fallback, counted), one element per instance.
#include <string>

#include "translators/json_to_v1_xml_engine.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators::json_to_xml {

namespace vf = value_format;
using json::kind;

void engine::mark_slot(frame& f) {
  if (!f.slot_set) {
    f.slot = f.attrs.size();
    f.slot_set = true;
  }
}

bool engine::field_value(frame& f, kind k) {
  if (k == kind::object || k == kind::array) return type_error("is not a string", k);
  mark_slot(f);
  if (k == kind::null) return r_.read_null();
  std::string_view text;
  if (!read_scalar(k, text, f.value_storage)) return false;
  f.value.assign(text);
  f.has_value = true;
  return true;
}

bool engine::field_values(frame& f, kind k, int depth) {
  mark_slot(f);
  if (k == kind::null) return r_.read_null();
  if (depth > json::reader::max_depth) return r_.fail("nesting too deep");
  f.has_values = true;
  f.value_count = 0;
  r_.begin_container();
  while (r_.next_item()) {
    const kind ik = r_.peek();
    const std::size_t n = f.value_count;
    if (f.values.size() <= n) {
      f.values.emplace_back();
      f.value_null.push_back(0);
    }
    bool ok = true;
    if (ik == kind::object || ik == kind::array) {
      ok = type_error("is not a string", ik);
    } else if (ik == kind::null) {
      ok = r_.read_null();
      f.value_null[n] = 1;
      f.values[n].clear();
    } else {
      std::string_view text;
      ok = read_scalar(ik, text, f.value_storage);
      if (ok) f.values[n].assign(text);
      f.value_null[n] = 0;
    }
    if (!ok) {
      path_.push_back(index_segment(n));
      return false;
    }
    ++f.value_count;
  }
  return !r_.failed();
}

engine::typing engine::resolve(const frame& f) const {
  if (types_ != nullptr) {
    if (!f.field_id.empty()) {
      if (auto t = types_->find(f.field_id)) return {true, *t};
    }
    if (!f.custom_id.empty()) {
      if (auto t = types_->find(f.custom_id)) return {true, *t};
    }
  }
  return {};
}

void engine::append_field_value(std::string& out, std::string_view v, typing t) {
  if (t.known) {
    if (t.type == value_type::date && vf::is_v2_date(v)) return vf::append_v1_date(out, v);
    if (t.type == value_type::boolean && vf::is_v2_boolean(v)) {
      out += vf::v1_boolean(v);
      return;
    }
  } else if (vf::is_v2_date(v)) {
    ++fallbacks_;
    return vf::append_v1_date(out, v);
  } else if (vf::is_v2_boolean(v)) {
    ++fallbacks_;
    out += vf::v1_boolean(v);
    return;
  }
  vf::append_xml_escaped(out, v);
}

// A data field: one element per instance of Values, else one with Value (or none).
void engine::finish_field(frame& f) {
  std::string& out = *f.out;
  const std::size_t slot = f.slot_set ? f.slot : f.attrs.size();
  const std::string_view before = std::string_view(f.attrs).substr(0, slot);
  const std::string_view after = std::string_view(f.attrs).substr(slot);
  const typing t = resolve(f);
  auto one = [&](const std::string* value, std::size_t instance, bool with_instance) {
    out += '<';
    out += f.name;
    out += before;
    if (value != nullptr) {
      out += " Value=\"";
      append_field_value(out, *value, t);
      out += '"';
    }
    if (with_instance) {
      out += ' ';
      out += rules::instance_attribute;
      out += "=\"";
      out += std::to_string(instance);
      out += '"';
    }
    out += after;
    if (f.children.empty()) {
      out += "/>";
    } else {
      out += '>';
      out += f.children;
      out += "</";
      out += f.name;
      out += '>';
    }
  };
  if (f.has_values && f.value_count > 0) {
    for (std::size_t i = 0; i < f.value_count; ++i) one(f.value_null[i] ? nullptr : &f.values[i], i, true);
  } else if (f.has_values && !compat_.empty_values_as_one_field) {
    // no element at all
  } else if (f.has_value && !f.has_values) {
    one(&f.value, 0, false);
  } else {
    one(nullptr, 0, false);
  }
}

}  // namespace pcbridge::translators::json_to_xml
