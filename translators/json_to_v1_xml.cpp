#include "translators/json_to_v1_xml.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "translators/json_reader.hpp"
#include "translators/response_rules.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators {

namespace {

namespace vf = value_format;
using json::kind;
using rules::action;
using rules::expect;
using rules::member_rule;

constexpr std::size_t max_rules_per_element = 32;
constexpr std::size_t max_flatten_map = 8;

// Member names of a data field that identify it in the form schema (mapping.md §3).
constexpr std::string_view field_id_member = "DataFieldId";
constexpr std::string_view field_custom_id_member = "CustomId";

const char* kind_name(kind k) {
  switch (k) {
    case kind::object: return "object";
    case kind::array: return "array";
    case kind::string: return "string";
    case kind::number: return "number";
    case kind::boolean: return "boolean";
    case kind::null: return "null";
    case kind::end: return "end of input";
    case kind::invalid: return "invalid JSON";
  }
  return "?";
}

std::string index_segment(std::size_t i) {
  std::string s(1, '[');
  s.append(std::to_string(i));
  s += ']';
  return s;
}

// One XML element being written. Frames are reused by depth, so their buffers keep their
// capacity from one element to the next and steady-state translation does not allocate.
struct frame {
  std::string_view name;
  std::string_view parent;  // element name of the parent (the wrapper for array items)
  bool is_root = false;
  std::string* out = nullptr;  // where the element goes (its parent's child sink)

  std::string attrs;  // ` a="v"` pieces while the start tag is not written yet
  std::vector<std::string_view> attr_names;
  std::deque<std::string> owned_names;  // attribute names that are not views into stable text
  std::string pending;   // children made from scalars (<Url>) before the start tag is written
  std::string trailing;  // last children (<Url> after the others)
  std::string beside;    // elements written after this one, in the parent (<Url> beside)
  bool flushed = false;  // start tag written to *out
  std::size_t attr_end = 0;  // in *out: where a late attribute is inserted

  std::array<const member_rule*, max_rules_per_element> rules{};
  std::size_t rule_count = 0;

  // Data fields (typed): written when they end, once per instance; children buffered here.
  bool typed = false;
  std::string children;
  std::string field_id, custom_id, value;
  bool has_value = false, has_values = false, slot_set = false;
  std::size_t slot = 0;  // position in attrs where Value (and Instance) go
  std::vector<std::string> values;
  std::vector<char> value_null;
  std::size_t value_count = 0;

  std::string key_storage, value_storage, name_storage;

  void reset() {
    attrs.clear();
    attr_names.clear();
    owned_names.clear();
    pending.clear();
    trailing.clear();
    beside.clear();
    flushed = false;
    attr_end = 0;
    rule_count = 0;
    typed = false;
    children.clear();
    field_id.clear();
    custom_id.clear();
    value.clear();
    has_value = has_values = slot_set = false;
    slot = 0;
    value_count = 0;
  }
};

bool element_matches(std::string_view pattern, const frame& f) {
  if (pattern == "*") return true;
  if (pattern == "/") return f.is_root;
  if (f.is_root) return false;
  const auto slash = pattern.find('/');
  if (slash == std::string_view::npos) return pattern == f.name;
  return pattern.substr(slash + 1) == f.name && pattern.substr(0, slash) == f.parent;
}

class engine {
 public:
  engine(method_id method, std::string_view json, const translate_context& ctx, std::string& out)
      : method_(method),
        input_(json),
        r_(json),
        rules_(rules::rules_for(method)),
        types_(ctx.types),
        out_(out) {}

  bool run(std::string_view root) {
    out_.append(rules::xml_declaration);
    const kind k = r_.peek();
    if (k == kind::end && rules::empty_answer_as_empty_root) {
      out_ += '<';
      out_ += root;
      out_ += rules::root_namespace_attributes();
      out_ += "/>";
      return true;
    }
    if (k == kind::invalid) return r_.fail("not JSON");
    if (k != kind::object) return type_error("is not an object", k);
    frame& f = open(0, root, {}, &out_, true);
    f.attrs.assign(rules::root_namespace_attributes());
    return element(0) && r_.finish();
  }

  int fallbacks() const { return fallbacks_; }

  failure error() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      if (!it->empty() && it->front() != '[' && !path.empty()) path += '.';
      path += *it;
    }
    if (path.empty()) path = "(root)";
    std::string message(method_name(method_));
    message += ": cannot translate V2 answer: ";
    message += path;
    message += ' ';
    if (r_.failed()) {
      message += "invalid JSON: ";
      message += r_.problem();
      message += " at offset ";
      message += std::to_string(r_.offset());
    } else {
      message += problem_;
    }
    return failure{502, std::move(message)};
  }

 private:
  frame& open(int depth, std::string_view name, std::string_view parent, std::string* out,
              bool is_root = false) {
    while (frames_.size() <= static_cast<std::size_t>(depth)) frames_.emplace_back();
    frame& f = frames_[static_cast<std::size_t>(depth)];
    f.reset();
    f.name = name;
    f.parent = parent;
    f.is_root = is_root;
    f.out = out;
    auto collect = [&f](std::span<const member_rule> table) {
      for (const auto& rule : table) {
        if (f.rule_count < max_rules_per_element && element_matches(rule.element, f)) {
          f.rules[f.rule_count++] = &rule;
          if (rule.act == action::field_value || rule.act == action::field_values) f.typed = true;
        }
      }
    };
    for (const auto& part : rules_.parts) collect(part);
    collect(rules::common_rules());
    return f;
  }

  const member_rule* find(const frame& f, std::string_view key) const {
    for (std::size_t i = 0; i < f.rule_count; ++i) {
      const member_rule* r = f.rules[i];
      if (r->key == key && r->act != action::add_default) return r;
    }
    return nullptr;
  }

  bool type_error(const char* problem, kind got) {
    problem_ = problem;
    problem_ += " (got ";
    problem_ += kind_name(got);
    problem_ += ')';
    return false;
  }

  bool in_input(std::string_view s) const {
    const auto p = reinterpret_cast<std::uintptr_t>(s.data());
    const auto b = reinterpret_cast<std::uintptr_t>(input_.data());
    return p >= b && p + s.size() <= b + input_.size();
  }

  // Object at frames_[depth]; the reader is on its '{'.
  bool element(int depth) {
    if (depth > json::reader::max_depth) return r_.fail("nesting too deep");
    frame& f = frames_[static_cast<std::size_t>(depth)];
    r_.begin_container();
    std::string_view key;
    while (r_.next_key(key, f.key_storage)) {
      if (!member(f, key, depth)) {
        path_.emplace_back(key);
        return false;
      }
    }
    if (r_.failed()) return false;
    finish(f);
    return true;
  }

  bool read_scalar(kind k, std::string_view& text, std::string& storage) {
    switch (k) {
      case kind::string: return r_.read_string(text, storage);
      case kind::number: return r_.read_number(text);
      case kind::boolean: {
        bool b = false;
        if (!r_.read_boolean(b)) return false;
        text = b ? "true" : "false";
        return true;
      }
      default: return r_.fail("unexpected character");
    }
  }

  bool member(frame& f, std::string_view key, int depth) {
    const member_rule* rule = find(f, key);
    const kind k = r_.peek();
    if (k == kind::end) return r_.fail("unexpected end of input");
    if (k == kind::invalid) return r_.fail("unexpected character");
    if (rule && k != kind::null) {
      if (rule->want == expect::object && k != kind::object) return type_error("is not an object", k);
      if (rule->want == expect::array && k != kind::array) return type_error("is not an array", k);
    }
    const action act = rule ? rule->act : action::keep;
    switch (act) {
      case action::drop:
        if (f.typed && k == kind::string && (key == field_id_member || key == field_custom_id_member)) {
          std::string_view text;
          if (!r_.read_string(text, f.value_storage)) return false;
          capture_id(f, key, text);
          return true;
        }
        return r_.skip_value(depth + 1);
      case action::flatten:
        if (k == kind::null) return r_.read_null();
        if (k != kind::object) return type_error("is not an object", k);
        return flatten(f, *rule, depth + 1);
      case action::field_value: return field_value(f, k);
      case action::field_values: return field_values(f, k, depth + 1);
      default: break;
    }

    switch (k) {
      case kind::null: return r_.read_null();
      case kind::object: {
        std::string name_storage;
        const std::string_view name = act == action::rename ? rule->to : vf::xml_name(key, name_storage);
        std::string* sink = act == action::url_beside ? &f.beside : &child_sink(f);
        open(depth + 1, name, f.name, sink);
        return element(depth + 1);
      }
      case kind::array: {
        std::string wrapper_storage, item_storage, item_name_storage;
        const std::string_view wrapper =
            act == action::rename ? rule->to : vf::xml_name(key, wrapper_storage);
        const std::string_view item =
            act == action::items ? rule->to : vf::xml_name(rules::item_name(key, item_storage), item_name_storage);
        return array(child_sink(f), wrapper, item, depth + 1);
      }
      default: break;
    }

    std::string_view text;
    if (!read_scalar(k, text, f.value_storage)) return false;
    if (f.typed && k == kind::string) capture_id(f, key, text);
    switch (act) {
      case action::url_child:
      case action::url_last:
      case action::url_beside: emit_url(f, text, act); return true;
      case action::flag:
        if (text == "true") text = "True";
        else if (text == "false") text = "False";
        break;
      default:
        if (k == kind::string) text = convert_string(text);
        break;
    }
    if (act == action::rename) {
      add_attr(f, rule->to, text, true);
    } else {
      const std::string_view name = vf::xml_name(key, f.name_storage);
      add_attr(f, name, text, name.data() == key.data() && in_input(key));
    }
    return true;
  }

  // Inquiry dates (method-level rule); other strings pass unchanged.
  std::string_view convert_string(std::string_view text) {
    if (rules_.inquiry_dates && vf::is_inquiry_timestamp(text)) {
      date_scratch_.clear();
      vf::append_v1_date(date_scratch_, text.substr(0, 10));
      return date_scratch_;
    }
    return text;
  }

  void capture_id(frame& f, std::string_view key, std::string_view text) {
    if (key == field_id_member) f.field_id.assign(text);
    else if (key == field_custom_id_member) f.custom_id.assign(text);
  }

  std::string& child_sink(frame& f) {
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

  void add_attr(frame& f, std::string_view name, std::string_view value, bool stable_name) {
    for (auto existing : f.attr_names) {
      if (existing == name) return;  // first one wins: a duplicate would make the XML ill-formed
    }
    if (!stable_name) name = f.owned_names.emplace_back(name);
    f.attr_names.push_back(name);
    std::string& dst = f.flushed ? late_attr_ : f.attrs;
    if (f.flushed) late_attr_.clear();
    dst += ' ';
    dst += name;
    dst += "=\"";
    vf::append_xml_escaped(dst, value);
    dst += '"';
    if (f.flushed) {
      f.out->insert(f.attr_end, late_attr_);
      f.attr_end += late_attr_.size();
    }
  }

  // <Url Value>: url_child makes it the first child of its element as in the V1 samples,
  // wherever V2 puts the member (before the start tag is written it waits in `pending`, after
  // it is inserted right behind the start tag); url_last the last child; url_beside the next
  // sibling.
  void emit_url(frame& f, std::string_view url, action act) {
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

  bool flatten(frame& f, const member_rule& rule, int depth) {
    if (depth > json::reader::max_depth) return r_.fail("nesting too deep");
    const auto map = rule.map.first(std::min(rule.map.size(), max_flatten_map));
    std::array<bool, max_flatten_map> set{};
    std::size_t unmapped = 0;
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
        if (ok) {
          std::size_t i = 0;
          while (i < map.size() && map[i].from != key) ++i;
          if (i < map.size()) {
            flat_values_[i].assign(text);
            set[i] = true;
          } else if (rule.keep_unmapped) {
            if (flat_unmapped_.size() <= unmapped) flat_unmapped_.emplace_back();
            flat_unmapped_[unmapped].first.assign(key);
            flat_unmapped_[unmapped].second.assign(text);
            ++unmapped;
          }
        }
      }
      if (!ok) {
        path_.emplace_back(key);
        return false;
      }
    }
    if (r_.failed()) return false;
    for (std::size_t i = 0; i < map.size(); ++i) {
      if (set[i]) add_attr(f, map[i].to, flat_values_[i], true);
    }
    for (std::size_t i = 0; i < unmapped; ++i) {
      std::string storage;
      const auto name = vf::xml_name(flat_unmapped_[i].first, storage);
      add_attr(f, name, flat_unmapped_[i].second, false);
    }
    return true;
  }

  void mark_slot(frame& f) {
    if (!f.slot_set) {
      f.slot = f.attrs.size();
      f.slot_set = true;
    }
  }

  bool field_value(frame& f, kind k) {
    if (k == kind::object || k == kind::array) return type_error("is not a string", k);
    mark_slot(f);
    if (k == kind::null) return r_.read_null();
    std::string_view text;
    if (!read_scalar(k, text, f.value_storage)) return false;
    f.value.assign(text);
    f.has_value = true;
    return true;
  }

  bool field_values(frame& f, kind k, int depth) {
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

  // Items of an array member; the reader is on its '['.
  bool array(std::string& sink, std::string_view wrapper, std::string_view item, int depth) {
    if (depth > json::reader::max_depth) return r_.fail("nesting too deep");
    r_.begin_container();
    sink += '<';
    sink += wrapper;
    bool opened = false;
    std::size_t index = 0;
    while (r_.next_item()) {
      if (!opened) {
        sink += '>';
        opened = true;
      }
      const kind k = r_.peek();
      bool ok = true;
      switch (k) {
        case kind::object:
          open(depth + 1, item, wrapper, &sink);
          ok = element(depth + 1);
          break;
        case kind::array: ok = array(sink, item, item, depth + 1); break;
        case kind::null: ok = r_.read_null(); break;
        case kind::end: ok = r_.fail("unexpected end of input"); break;
        case kind::invalid: ok = r_.fail("unexpected character"); break;
        default: {
          std::string_view text;
          ok = read_scalar(k, text, item_value_);
          if (ok) {
            if (k == kind::string) text = convert_string(text);
            sink += '<';
            sink += item;
            if constexpr (rules::scalar_items_as_text) {  // <Item>text</Item>
              sink += '>';
              vf::append_xml_escaped(sink, text);
              sink += "</";
              sink += item;
              sink += '>';
            } else {  // <Item Value="text"/>
              sink += " Value=\"";
              vf::append_xml_escaped(sink, text);
              sink += "\"/>";
            }
          }
        }
      }
      if (!ok) {
        path_.push_back(index_segment(index));
        return false;
      }
      ++index;
    }
    if (r_.failed()) return false;
    if (opened) {
      sink += "</";
      sink += wrapper;
      sink += '>';
    } else {
      sink += "/>";
    }
    return true;
  }

  void finish(frame& f) {
    for (std::size_t i = 0; i < f.rule_count; ++i) {
      const member_rule* r = f.rules[i];
      if (r->act == action::add_default) add_attr(f, r->key, r->to, true);  // no-op when present
    }
    std::string& out = *f.out;
    if (f.typed) {
      f.children += f.trailing;
      finish_field(f);
    } else if (f.flushed) {
      out += f.trailing;
      out += "</";
      out += f.name;
      out += '>';
    } else {
      out += '<';
      out += f.name;
      out += f.attrs;
      if (f.pending.empty() && f.trailing.empty()) {
        out += "/>";
      } else {
        out += '>';
        out += f.pending;
        out += f.trailing;
        out += "</";
        out += f.name;
        out += '>';
      }
    }
    out += f.beside;
  }

  struct typing {
    bool known = false;
    value_type type = value_type::text;
  };

  typing resolve(const frame& f) const {
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

  void append_field_value(std::string& out, std::string_view v, typing t) {
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
  void finish_field(frame& f) {
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
    } else if (f.has_values && !rules::empty_values_as_one_field) {
      // no element at all
    } else if (f.has_value && !f.has_values) {
      one(&f.value, 0, false);
    } else {
      one(nullptr, 0, false);
    }
  }

  method_id method_;
  std::string_view input_;
  json::reader r_;
  const rules::method_rules& rules_;
  const field_type_map* types_;
  std::string& out_;
  std::deque<frame> frames_;
  int fallbacks_ = 0;
  std::vector<std::string> path_;  // innermost first
  std::string problem_;
  std::string late_attr_, date_scratch_, item_value_, flat_key_, flat_value_;
  std::array<std::string, max_flatten_map> flat_values_;
  std::vector<std::pair<std::string, std::string>> flat_unmapped_;
};

}  // namespace

outcome<translated> json_to_v1_xml(method_id method, std::string_view root, std::string_view v2_json,
                                   const translate_context& ctx) {
  translated result;
  result.body.reserve(v2_json.size() + v2_json.size() / 8 + 256);
  engine e(method, v2_json, ctx, result.body);
  if (!e.run(root)) return e.error();
  result.typing_fallbacks = e.fallbacks();
  return result;
}

}  // namespace pcbridge::translators
