#pragma once
// Internal to the streaming V2 JSON -> V1 XML translator (json_to_v1_xml.hpp): the per-element
// frame and the engine, whose member functions are split by job over
//   json_to_v1_xml.cpp         the walk: elements, members, arrays, closing tags, errors
//   json_to_v1_xml_parts.cpp   attributes, <Url>, flattened objects, inquiry dates
//   json_to_v1_xml_fields.cpp  data fields: typing by schema, one element per instance
//   json_to_v1_xml_rules.cpp   the rules of each kind of element, a member's rule
//   json_to_v1_xml_workspace.cpp  what engines keep between answers
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <string_view>
#include <utility>
#include <vector>

#include "translators/json_reader.hpp"
#include "translators/method.hpp"
#include "translators/outcome.hpp"
#include "translators/response_rules.hpp"
#include "translators/translate.hpp"

namespace pcbridge::translators::json_to_xml {

inline constexpr std::size_t max_rules_per_element = 32;  // fits rule_set::with_key_size's bits
inline constexpr std::size_t max_flatten_map = 8;
// Kinds of element whose rules an engine remembers (engine::collect_rules); more kinds (a
// hostile answer with many distinct names) are collected each time, as before the cache.
inline constexpr std::size_t max_rule_sets = 16;

// Member names of a data field that identify it in the form schema (mapping.md §3).
inline constexpr std::string_view field_id_member = "DataFieldId";
inline constexpr std::string_view field_custom_id_member = "CustomId";

// The rules of one kind of element: they depend only on (name, parent, is_root) once the
// method is fixed. Split by use: `lookup` answers a member (engine::find), `defaults` fill in
// absent attributes when the element ends (engine::finish); each keeps table order.
struct rule_set {
  std::string name, parent;
  bool is_root = false;
  bool typed = false;
  std::array<const rules::member_rule*, max_rules_per_element> lookup{};
  std::size_t lookup_count = 0;
  // Bit i of with_key_size[n]: lookup[i]->key is n bytes long (n < max_indexed_key_size),
  // so a member name is compared only with the rule keys of its length; longer keys are
  // all in with_key_size[max_indexed_key_size].
  static constexpr std::size_t max_indexed_key_size = 31;
  std::array<std::uint32_t, max_indexed_key_size + 1> with_key_size{};
  std::array<const rules::member_rule*, max_rules_per_element> defaults{};
  std::size_t default_count = 0;
};

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
  std::size_t attr_end = 0;  // in *out: where late attributes are inserted
  // Attributes that arrive after the start tag was written (a scalar member after a child
  // element). They are inserted at attr_end once, when the element ends: inserting each one
  // as it came would move all the children written so far, quadratic for wide objects.
  std::string late_attrs;
  std::unique_ptr<rule_set> own_rules;  // when the engine remembers too many kinds already (max_rule_sets)
  // attr_names as a set once an element has many attributes: the duplicate check stays
  // linear for a hostile wide object, and small elements keep the cheap scan.
  std::unordered_set<std::string_view> attr_name_set;

  // Of this kind of element (engine::collect_rules); kept by reset: the next element at this
  // depth is most often of the same kind.
  const rule_set* rules = nullptr;

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

  void reset();
};

// What engines keep from one answer to the next (one per thread, json_to_v1_xml.cpp): the
// frames and rule sets keep their buffers, so answer after answer does not allocate them again.
struct workspace {
  std::deque<frame> frames;
  std::deque<rule_set> rule_sets;  // a deque: frames point into it while it grows
  std::vector<std::string> path;
  std::string problem, late_attr, date_scratch, item_value, flat_key, flat_value;
  std::array<std::string, max_flatten_map> flat_values;
  std::vector<std::pair<std::string, std::string>> flat_unmapped;

  // After an answer: what one large answer made large is freed, not kept for every later one.
  void release_large();
};

class engine {
 public:
  engine(method_id method, std::string_view json, const translate_context& ctx, std::string& out, workspace& w);

  bool run(std::string_view root);
  int fallbacks() const { return fallbacks_; }
  failure error() const;

 private:
  using kind = json::kind;

  // json_to_v1_xml.cpp
  frame& open(int depth, std::string_view name, std::string_view parent, std::string* out, bool is_root = false);
  void collect_rules(frame& f);
  const rules::member_rule* find(const frame& f, std::string_view key) const;
  bool element(int depth);
  bool read_scalar(kind k, std::string_view& text, std::string& storage);
  bool member(frame& f, std::string_view key, int depth);
  bool array(std::string& sink, std::string_view wrapper, std::string_view item, int depth);
  void finish(frame& f);

  // json_to_v1_xml_parts.cpp
  bool type_error(const char* problem, kind got);
  bool in_input(std::string_view s) const;
  std::string_view convert_string(std::string_view text);
  void capture_id(frame& f, std::string_view key, std::string_view text);
  std::string& child_sink(frame& f);
  void add_attr(frame& f, std::string_view name, std::string_view value, bool stable_name);
  void emit_url(frame& f, std::string_view url, rules::action act);
  using flat_set = std::array<bool, max_flatten_map>;
  // Reads a flattened object's scalars: flat_values_[i] for each map[i] whose `from` is set,
  // flat_unmapped_[0..unmapped) for the others when keep_unmapped.
  bool read_flat(std::span<const rules::attr_map> map, bool keep_unmapped, int depth, flat_set& set,
                 std::size_t& unmapped);
  bool flatten(frame& f, const rules::member_rule& rule, int depth);
  bool current_status(frame& f, std::string_view key, const rules::member_rule& rule, int depth);

  // json_to_v1_xml_fields.cpp
  struct typing {
    bool known = false;
    value_type type = value_type::text;
  };
  void mark_slot(frame& f);
  bool field_value(frame& f, kind k);
  bool field_values(frame& f, kind k, int depth);
  typing resolve(const frame& f) const;
  void append_field_value(std::string& out, std::string_view v, typing t);
  void finish_field(frame& f);

  method_id method_;
  std::string_view input_;
  json::reader r_;
  const rules::method_rules& rules_;
  const field_type_map* types_;
  const compat_profile& compat_;
  std::string& out_;
  std::deque<frame>& frames_;
  std::deque<rule_set>& rule_sets_;
  std::size_t rule_set_count_ = 0;  // rule_sets_[0..count) are this answer's
  int fallbacks_ = 0;
  std::vector<std::string>& path_;  // innermost first
  std::string& problem_;
  std::string &late_attr_, &date_scratch_, &item_value_, &flat_key_, &flat_value_;
  std::array<std::string, max_flatten_map>& flat_values_;
  std::vector<std::pair<std::string, std::string>>& flat_unmapped_;
};

// Name of a JSON kind for error messages ("object", "end of input", ...).
const char* kind_name(json::kind k);

// "[3]": an array index in an error path.
inline std::string index_segment(std::size_t i) {
  std::string s(1, '[');
  s.append(std::to_string(i));
  s += ']';
  return s;
}

}  // namespace pcbridge::translators::json_to_xml
