#pragma once
// Typed, located reads from a yaml-cpp tree. Every problem is added to a `diagnostics`
// with its key path and 1-based line; nothing throws for bad input and no message ever
// quotes a value from the document (values may be secrets), only key paths.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace pcbridge::config::detail {

// Collects every error of one load.
class diagnostics {
 public:
  void add(std::string path, int line, std::string message);
  bool empty() const { return errors_.empty(); }
  // The errors ordered by line (document order; errors without a line last).
  std::vector<config_error> sorted() const;

 private:
  std::vector<config_error> errors_;
};

// A value in the document: its node, its key path ("clients[0].user") and the 1-based
// line of its key (of the item itself for list elements; 0 when unknown).
struct field {
  YAML::Node node;
  std::string path;
  int line = 0;
};

// 1-based line of a node, 0 when yaml-cpp has no mark for it.
int line_of(const YAML::Node& node);
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, std::size_t index);

// Walks one mapping. The schema asks for each key it knows with get() or require();
// finish() then reports every key never asked for as unknown, suggesting the closest
// asked-for key. A null value (`log:` with nothing under it) reads as an empty mapping.
// Non-string and duplicate keys are reported on construction.
class map_reader {
 public:
  map_reader(field where, diagnostics& diag);

  std::optional<field> get(std::string_view key);
  // As get(); reports "required key is missing" (at this mapping's line) when absent.
  std::optional<field> require(std::string_view key);
  // Every entry, in document order, all counted as known (for mappings keyed by data).
  std::vector<std::pair<std::string, field>> take_all();
  void finish();

  const field& where() const { return where_; }
  bool is_mapping() const { return is_mapping_; }

 private:
  struct entry {
    std::string key;
    field value;
    bool known = false;
  };

  field where_;
  diagnostics& diag_;
  bool is_mapping_ = false;
  std::vector<entry> entries_;
  std::vector<std::string> asked_;
};

// A child section of `parent`: its field when present, else a null field (read as an
// empty mapping) located at the parent's line, so its required keys are still reported.
field section(map_reader& parent, std::string_view key);

// The elements of a list (null reads as an empty list); reports any other type.
std::vector<field> read_list(const field& f, diagnostics& diag);

// Any scalar, plain or quoted (`password: 1234` is the string "1234").
std::optional<std::string> read_string(const field& f, diagnostics& diag);
// As read_string; the empty string is reported ("must not be empty").
std::optional<std::string> read_nonempty_string(const field& f, diagnostics& diag);
// A plain decimal integer in [min, max]; a quoted "8080" is a string, not an integer.
// A `max` of INT_MAX or LLONG_MAX reads as "no upper limit" in the messages.
std::optional<long long> read_integer(const field& f, long long min, long long max,
                                      diagnostics& diag);
// true/false (and the other YAML 1.1 spellings yaml-cpp accepts: yes/no, on/off).
std::optional<bool> read_bool(const field& f, diagnostics& diag);
// The index of the scalar in `choices`.
std::optional<std::size_t> read_choice(const field& f, std::span<const std::string_view> choices,
                                       diagnostics& diag);

// Which one of `keys` is set in `m`. Reports several set ("set only one of ..."), and,
// when `required`, none set ("one of ... is required"). Returns the key and its field.
std::optional<std::pair<std::string_view, field>> pick_one(
    map_reader& m, std::span<const std::string_view> keys, bool required, diagnostics& diag);

}  // namespace pcbridge::config::detail
