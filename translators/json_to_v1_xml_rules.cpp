// The rules of each kind of V1 element (json_to_v1_xml_engine.hpp): collected from the
// method's tables once per kind and answer, and looked up for each member.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>

#include "translators/json_to_v1_xml_engine.hpp"

namespace pcbridge::translators::json_to_xml {

using rules::action;
using rules::member_rule;

namespace {

bool element_matches(std::string_view pattern, const frame& f) {
  if (pattern == "*") return true;
  if (pattern == "/") return f.is_root;
  if (f.is_root) return false;
  const auto slash = pattern.find('/');
  if (slash == std::string_view::npos) return pattern == f.name;
  return pattern.substr(slash + 1) == f.name && pattern.substr(0, slash) == f.parent;
}

// The set was collected for elements of this name, parent and rootness.
bool same_kind(const rule_set& s, const frame& f) {
  return s.is_root == f.is_root && s.name == f.name && s.parent == f.parent;
}

}  // namespace

// Scanning every rule table with string compares for each element was a visible share of a
// translation; an answer has few kinds of element and many of each (every DataField), so the
// rules of a kind are collected once per engine and shared by its elements after that.
void engine::collect_rules(frame& f) {
  // Most elements are of the kind the last element at their depth was (the next DataField).
  if (f.rules != nullptr && same_kind(*f.rules, f)) {
    f.typed = f.rules->typed;
    return;
  }
  for (std::size_t i = 0; i < rule_set_count_; ++i) {
    const rule_set& s = rule_sets_[i];
    if (same_kind(s, f)) {
      f.rules = &s;
      f.typed = s.typed;
      return;
    }
  }
  const bool remembered = rule_set_count_ < max_rule_sets;
  if (!remembered && !f.own_rules) f.own_rules = std::make_unique<rule_set>();
  if (remembered && rule_set_count_ == rule_sets_.size()) rule_sets_.emplace_back();
  rule_set& s = remembered ? rule_sets_[rule_set_count_++] : *f.own_rules;
  s.lookup_count = s.default_count = 0;  // the name strings keep their capacity
  s.with_key_size = {};
  s.typed = false;
  s.name.assign(f.name);
  s.parent.assign(f.parent);
  s.is_root = f.is_root;
  std::size_t collected = 0;  // the first max_rules_per_element rules that match, of either use
  auto collect = [&](std::span<const member_rule> table) {
    for (const auto& rule : table) {
      if (collected == max_rules_per_element || !element_matches(rule.element, f)) continue;
      ++collected;
      if (rule.act == action::add_default || rule.act == action::deleted_default) {
        s.defaults[s.default_count++] = &rule;
        continue;
      }
      s.with_key_size[std::min(rule.key.size(), rule_set::max_indexed_key_size)] |= std::uint32_t{1} << s.lookup_count;
      s.lookup[s.lookup_count++] = &rule;
      if (rule.act == action::field_value || rule.act == action::field_values) s.typed = true;
    }
  };
  for (const auto& part : rules_.parts) collect(part);
  collect(rules::common_rules());
  f.rules = &s;
  f.typed = s.typed;
}

const rules::member_rule* engine::find(const frame& f, std::string_view key) const {
  const rule_set& s = *f.rules;
  // Candidates in table order: the lowest set bit first.
  for (std::uint32_t candidates = s.with_key_size[std::min(key.size(), rule_set::max_indexed_key_size)];
       candidates != 0; candidates &= candidates - 1) {
    const member_rule* r = s.lookup[static_cast<std::size_t>(std::countr_zero(candidates))];
    if (r->key == key) return r;
  }
  return nullptr;
}

}  // namespace pcbridge::translators::json_to_xml
