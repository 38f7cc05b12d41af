#pragma once
// The simulated world: programs with their statuses, forms and projects. Plain data plus
// lookups by public id or custom id (v2-api.md §2.5).
#include "tools/sim/sim_time.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pcbridge::sim {

enum class field_type { text, date, boolean, number, choice };
std::string_view type_name(field_type t);

struct field_def {
  std::string id;
  std::optional<std::string> custom_id;
  std::string name;
  field_type type = field_type::text;
  bool multi_instance = false;
  bool required = false;   // must be filled in the draft before the form can be submitted
  bool sensitive = false;  // masked unless reveal_sensitive_data=true and an MFA header
  std::optional<std::string> min, max;  // Number bounds, exactly as the schema shows them
  std::vector<std::string> choices;     // Choice fields only
};

struct attachment_def {
  std::string id;
  std::optional<std::string> custom_id;
  std::string name;
};

struct status_def {
  std::string id;
  std::optional<std::string> custom_id;
  std::string name;
  std::vector<std::string> next;  // status ids SetProjectStatus may move to from here
};

struct form_def {
  std::string id;
  std::optional<std::string> custom_id;
  std::string name;
  std::vector<std::string> available_in;  // status ids in which the form can be edited and submitted
  std::string leads_to;                   // status id a submit moves the project to
  std::vector<field_def> fields;
  std::vector<attachment_def> attachments;
};

struct person {
  std::string name;
  std::string email;
};

// Saved instances per DataFieldId: one element for a single-instance field, the ordered
// instance list for a multi-instance one. A field without an entry is null.
using field_values = std::map<std::string, std::vector<std::string>>;

struct status_entry {
  std::string status_id;
  std::string changed_by;
  std::optional<std::string> report_as_changed_by;
  time_point at;
};

struct stored_file {
  std::string file_name;
  std::string content_type;
  std::string bytes;
  time_point uploaded;
  person uploader;
  std::string approval;  // shapes::status_approved / _rejected / _pending
  std::optional<std::string> note;
};

struct project {
  std::string id;
  std::optional<std::string> number;  // assigned by the first submit
  person owner;
  time_point created;
  time_point last_change;
  std::vector<status_entry> history;  // newest first; front() is the current status, never empty
  field_values draft;
  field_values submitted;
  std::map<std::string, stored_file> files;  // by AttachmentId
};

struct inquiry_note {
  std::string id;
  std::string text;
  std::string created_by;
  bool is_admin = false;
  time_point created;
};

struct inquiry_thread {
  std::string id;
  std::string project_id;
  std::optional<std::string> external_id;
  std::string subject;
  std::string status;
  std::string created_by;
  time_point created;
  std::vector<inquiry_note> notes;  // oldest first
};

struct program {
  std::string id;
  std::string name;
  std::string number_prefix;  // project numbers are <prefix>-00001, ...
  int numbers_issued = 0;
  std::vector<status_def> statuses;  // statuses.front() is the status of a new project
  std::vector<form_def> forms;
  std::vector<project> projects;  // creation order
  std::vector<inquiry_thread> threads;
};

struct sim_store {
  std::vector<program> programs;
  std::vector<person> users;  // accounts known by e-mail (SetProjectOwner answers their name)
  unsigned next_serial = 1;   // for ids of new projects, threads and notes
};

// 12-character id: `prefix` followed by the next serial, zero-padded.
std::string next_id(sim_store& store, std::string_view prefix);

program* find_program(sim_store& store, std::string_view id);
// By ProjectId, or by ProjectNumber once one is assigned.
project* find_project(program& prog, std::string_view key);
// The lookups below accept the public id or the custom id.
const status_def* find_status(const program& prog, std::string_view key);
const form_def* find_form(const program& prog, std::string_view key);
const field_def* find_field(const form_def& form, std::string_view key);
const field_def* find_field(const program& prog, std::string_view key);
const attachment_def* find_attachment(const form_def& form, std::string_view key);
const attachment_def* find_attachment(const program& prog, std::string_view key);
inquiry_thread* find_thread(program& prog, std::string_view id);
const person* find_user(const sim_store& store, std::string_view email);

const status_def& current_status(const program& prog, const project& proj);
// A field counts as filled when at least one instance is a non-empty string.
bool is_filled(const field_values& values, const std::string& field_id);

}  // namespace pcbridge::sim
