#include "tools/sim/sim_model.hpp"

#include "tools/sim/sim_message.hpp"
#include "tools/sim/sim_shapes.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace pcbridge::sim {

namespace {
template <class T>
bool id_matches(const T& item, std::string_view key) {
  return item.id == key || (item.custom_id && *item.custom_id == key);
}

// Public ids win over custom ids: custom ids are unique only within their object type and
// could, in principle, look like another object's public id.
template <class Range>
auto find_by_key(Range& items, std::string_view key) -> decltype(&*items.begin()) {
  for (auto& item : items) {
    if (item.id == key) return &item;
  }
  for (auto& item : items) {
    if (id_matches(item, key)) return &item;
  }
  return nullptr;
}
}  // namespace

std::string_view type_name(field_type t) {
  switch (t) {
    case field_type::text: return shapes::type_text;
    case field_type::date: return shapes::type_date;
    case field_type::boolean: return shapes::type_boolean;
    case field_type::number: return shapes::type_number;
    case field_type::choice: return shapes::type_choice;
  }
  return shapes::type_text;
}

std::string next_id(sim_store& store, std::string_view prefix) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%0*u", static_cast<int>(12 - prefix.size()), store.next_serial++);
  return std::string(prefix) + digits;
}

program* find_program(sim_store& store, std::string_view id) {
  for (auto& p : store.programs) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

project* find_project(program& prog, std::string_view key) {
  for (auto& p : prog.projects) {
    if (p.id == key) return &p;
  }
  for (auto& p : prog.projects) {
    if (p.number && *p.number == key) return &p;
  }
  return nullptr;
}

const status_def* find_status(const program& prog, std::string_view key) { return find_by_key(prog.statuses, key); }
const form_def* find_form(const program& prog, std::string_view key) { return find_by_key(prog.forms, key); }
const field_def* find_field(const form_def& form, std::string_view key) { return find_by_key(form.fields, key); }
const attachment_def* find_attachment(const form_def& form, std::string_view key) {
  return find_by_key(form.attachments, key);
}

const field_def* find_field(const program& prog, std::string_view key) {
  for (const auto& form : prog.forms) {
    if (const auto* f = find_field(form, key)) return f;
  }
  return nullptr;
}

const attachment_def* find_attachment(const program& prog, std::string_view key) {
  for (const auto& form : prog.forms) {
    if (const auto* a = find_attachment(form, key)) return a;
  }
  return nullptr;
}

inquiry_thread* find_thread(program& prog, std::string_view id) {
  for (auto& t : prog.threads) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const person* find_user(const sim_store& store, std::string_view email) {
  for (const auto& u : store.users) {
    if (iequals(u.email, email)) return &u;
  }
  return nullptr;
}

const status_def& current_status(const program& prog, const project& proj) {
  const auto* s = find_status(prog, proj.history.front().status_id);
  if (!s) throw std::logic_error("project " + proj.id + " is in an unknown status");
  return *s;
}

bool is_filled(const field_values& values, const std::string& field_id) {
  const auto it = values.find(field_id);
  return it != values.end() &&
         std::any_of(it->second.begin(), it->second.end(), [](const std::string& v) { return !v.empty(); });
}

}  // namespace pcbridge::sim
