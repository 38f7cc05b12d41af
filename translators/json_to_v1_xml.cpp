// The walk of the streaming V2 JSON -> V1 XML translator (json_to_v1_xml_engine.hpp): one pass
// over the JSON text, elements, members, arrays and closing tags, and the error it reports.
#include "translators/json_to_v1_xml.hpp"

#include <string>

#include "translators/json_to_v1_xml_engine.hpp"
#include "translators/value_format.hpp"

namespace pcbridge::translators {

namespace json_to_xml {

namespace {

namespace vf = value_format;
using json::kind;
using rules::action;
using rules::expect;
using rules::member_rule;

}  // namespace

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

void frame::reset() {
  attrs.clear();
  attr_names.clear();
  if (!attr_name_set.empty()) attr_name_set.clear();  // clearing even an empty one writes its buckets
  late_attrs.clear();
  if (!owned_names.empty()) owned_names.clear();
  pending.clear();
  trailing.clear();
  beside.clear();
  flushed = false;
  attr_end = 0;
  typed = false;
  children.clear();
  field_id.clear();
  custom_id.clear();
  value.clear();
  has_value = has_values = slot_set = false;
  slot = 0;
  value_count = 0;
}

engine::engine(method_id method, std::string_view json, const translate_context& ctx, std::string& out, workspace& w)
    : method_(method), input_(json), r_(json), rules_(rules::rules_for(method)), types_(ctx.types),
      compat_(ctx.profile()), out_(out), frames_(w.frames), rule_sets_(w.rule_sets), path_(w.path),
      problem_(w.problem), late_attr_(w.late_attr), date_scratch_(w.date_scratch), item_value_(w.item_value),
      flat_key_(w.flat_key), flat_value_(w.flat_value), flat_values_(w.flat_values), flat_unmapped_(w.flat_unmapped) {
  // A kind's rules depend on the method: none of the last answer's may be taken for this one's.
  for (frame& f : frames_) f.rules = nullptr;
  path_.clear();
  problem_.clear();
}

bool engine::run(std::string_view root) {
  out_.append(rules::xml_declaration);
  const kind k = r_.peek();
  if (k == kind::end) {  // mapping.md §4 rule 9: an empty 2xx answer is the empty root
    out_ += '<';
    out_ += root;
    out_ += rules::root_namespace_attributes(compat_.xsd_xsi_declarations);
    out_ += "/>";
    return true;
  }
  if (k == kind::invalid) return r_.fail("not JSON");
  if (k != kind::object) return type_error("is not an object", k);
  frame& f = open(0, root, {}, &out_, true);
  f.attrs.assign(rules::root_namespace_attributes(compat_.xsd_xsi_declarations));
  return element(0) && r_.finish();
}

failure engine::error() const {
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

frame& engine::open(int depth, std::string_view name, std::string_view parent, std::string* out,
            bool is_root) {
  while (frames_.size() <= static_cast<std::size_t>(depth)) frames_.emplace_back();
  frame& f = frames_[static_cast<std::size_t>(depth)];
  f.reset();
  f.name = name;
  f.parent = parent;
  f.is_root = is_root;
  f.out = out;
  collect_rules(f);
  return f;
}

// Object at frames_[depth]; the reader is on its '{'.
bool engine::element(int depth) {
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

bool engine::read_scalar(kind k, std::string_view& text, std::string& storage) {
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

bool engine::member(frame& f, std::string_view key, int depth) {
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
    case action::current_status:
      if (k == kind::null) return r_.read_null();
      if (k != kind::object) return type_error("is not an object", k);
      return current_status(f, key, *rule, depth + 1);
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
    case action::url_submit: {
      const url_placement where = compat_.submit_project_url;
      if (where != url_placement::beside) emit_url(f, text, action::url_child);
      if (where != url_placement::inside) emit_url(f, text, action::url_beside);
      return true;
    }
    case action::object_flag:
    case action::admin_flag: {
      const auto spelling = act == action::object_flag ? compat_.object_booleans : compat_.is_admin;
      if (const auto spelled = rules::spell_boolean(text, spelling)) text = *spelled;
      break;
    }
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

// Items of an array member; the reader is on its '['.
bool engine::array(std::string& sink, std::string_view wrapper, std::string_view item, int depth) {
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
          if (compat_.scalar_items_as_text) {  // <Item>text</Item>
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

void engine::finish(frame& f) {
  for (std::size_t i = 0; i < f.rules->default_count; ++i) {
    const member_rule* r = f.rules->defaults[i];
    if (r->act == action::add_default) add_attr(f, r->key, r->to, true);  // no-op when present
    if (r->act == action::deleted_default && compat_.status_deleted) {
      add_attr(f, r->key, *rules::spell_boolean("false", compat_.object_booleans), true);
    }
  }
  std::string& out = *f.out;
  if (f.typed) {
    f.children += f.trailing;
    finish_field(f);
  } else if (f.flushed) {
    if (!f.late_attrs.empty()) out.insert(f.attr_end, f.late_attrs);
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

}  // namespace json_to_xml

outcome<translated> json_to_v1_xml(method_id method, std::string_view root, std::string_view v2_json,
                                   const translate_context& ctx) {
  translated result;
  result.body.reserve(v2_json.size() + v2_json.size() / 8 + 256);
  // Translation never runs inside a translation, so one workspace per thread serves them all.
  thread_local json_to_xml::workspace w;
  json_to_xml::engine e(method, v2_json, ctx, result.body, w);
  const bool ok = e.run(root);
  if (ok) result.typing_fallbacks = e.fallbacks();
  outcome<translated> answer = ok ? outcome<translated>(std::move(result)) : outcome<translated>(e.error());
  w.release_large();
  return answer;
}

}  // namespace pcbridge::translators
