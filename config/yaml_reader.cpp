#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <climits>

#include "config/suggest.hpp"

namespace pcbridge::config::detail {
namespace {

// What a node is, for "expected X, got Y" (never the value itself).
std::string_view describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: return node.Tag() == "!" ? "a quoted string" : "a string";
    default: return "nothing";
  }
}

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

std::string join(std::span<const std::string_view> words, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? last_separator : std::string_view(", ");
    out += words[i];
  }
  return out;
}

}  // namespace

void diagnostics::add(std::string path, int line, std::string message) {
  errors_.push_back(config_error{std::move(path), line, std::move(message)});
}

std::vector<config_error> diagnostics::sorted() const {
  std::vector<config_error> out = errors_;
  std::stable_sort(out.begin(), out.end(), [](const config_error& a, const config_error& b) {
    const int la = a.line == 0 ? INT_MAX : a.line;
    const int lb = b.line == 0 ? INT_MAX : b.line;
    return la < lb;
  });
  return out;
}

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.line < 0 ? 0 : mark.line + 1;
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string item_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

map_reader::map_reader(field where, diagnostics& diag) : where_(std::move(where)), diag_(diag) {
  const YAML::Node& node = where_.node;
  if (!node.IsDefined() || node.IsNull()) {
    is_mapping_ = true;
    return;
  }
  if (!node.IsMap()) {
    diag_.add(where_.path, where_.line, "expected a mapping, got " + std::string(describe(node)));
    return;
  }
  is_mapping_ = true;
  for (const auto& pair : node) {
    const YAML::Node key = pair.first;  // copies: the iterator hands out a temporary pair
    const int key_line = line_of(key);
    if (!key.IsScalar()) {
      diag_.add(where_.path, key_line, "mapping keys must be strings, got " + std::string(describe(key)));
      continue;
    }
    const std::string& name = key.Scalar();
    const auto first = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const entry& e) { return e.key == name; });
    if (first != entries_.end()) {
      diag_.add(child_path(where_.path, name), key_line,
                "duplicate key (first at line " + std::to_string(first->value.line) + ")");
      continue;
    }
    entries_.push_back(entry{name, field{pair.second, child_path(where_.path, name), key_line}});
  }
}

std::optional<field> map_reader::get(std::string_view key) {
  asked_.emplace_back(key);
  for (entry& e : entries_) {
    if (e.key == key) {
      e.known = true;
      return e.value;
    }
  }
  return std::nullopt;
}

std::optional<field> map_reader::require(std::string_view key) {
  std::optional<field> found = get(key);
  if (!found && is_mapping_) {
    diag_.add(child_path(where_.path, key), where_.line, "required key is missing");
  }
  return found;
}

std::vector<std::pair<std::string, field>> map_reader::take_all() {
  std::vector<std::pair<std::string, field>> out;
  for (entry& e : entries_) {
    e.known = true;
    out.emplace_back(e.key, e.value);
  }
  return out;
}

void map_reader::finish() {
  const std::vector<std::string_view> candidates(asked_.begin(), asked_.end());
  for (const entry& e : entries_) {
    if (e.known) continue;
    std::string message = "unknown key";
    if (auto near = closest_match(e.key, candidates)) {
      message += " (did you mean \"" + std::string(*near) + "\"?)";
    }
    diag_.add(e.value.path, e.value.line, std::move(message));
  }
}

field section(map_reader& parent, std::string_view key) {
  if (std::optional<field> found = parent.get(key)) return *std::move(found);
  return field{YAML::Node(), child_path(parent.where().path, key), parent.where().line};
}

std::vector<field> read_list(const field& f, diagnostics& diag) {
  std::vector<field> items;
  if (!f.node.IsDefined() || f.node.IsNull()) return items;
  if (!f.node.IsSequence()) {
    diag.add(f.path, f.line, "expected a list, got " + std::string(describe(f.node)));
    return items;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : f.node) {
    const int line = line_of(item);
    items.push_back(field{item, item_path(f.path, index++), line == 0 ? f.line : line});
  }
  return items;
}

std::optional<std::string> read_string(const field& f, diagnostics& diag) {
  if (!f.node.IsScalar()) {
    diag.add(f.path, f.line, "expected a string, got " + std::string(describe(f.node)));
    return std::nullopt;
  }
  return f.node.Scalar();
}

std::optional<std::string> read_nonempty_string(const field& f, diagnostics& diag) {
  std::optional<std::string> s = read_string(f, diag);
  if (s && s->empty()) {
    diag.add(f.path, f.line, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<long long> read_integer(const field& f, long long min, long long max,
                                      diagnostics& diag) {
  if (!f.node.IsScalar() || is_quoted(f.node)) {
    diag.add(f.path, f.line, "expected an integer, got " + std::string(describe(f.node)));
    return std::nullopt;
  }
  std::string_view text = f.node.Scalar();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool whole = end == text.data() + text.size() && !text.empty();
  if (ec == std::errc::invalid_argument || !whole) {
    diag.add(f.path, f.line, "expected an integer");
    return std::nullopt;
  }
  // INT_MAX / LLONG_MAX mean "no limit but the type's": say so only when it is exceeded.
  const bool open_ended = max == INT_MAX || max == LLONG_MAX;
  const bool too_large = ec == std::errc::result_out_of_range ? text.front() != '-' : value > max;
  const bool too_small = ec == std::errc::result_out_of_range ? text.front() == '-' : value < min;
  if (too_small || too_large) {
    std::string message;
    if (!open_ended) {
      message = "must be between " + std::to_string(min) + " and " + std::to_string(max);
    } else if (too_small) {
      message = "must be at least " + std::to_string(min);
    } else {
      message = "must be at most " + std::to_string(max);
    }
    diag.add(f.path, f.line, std::move(message));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(const field& f, diagnostics& diag) {
  bool value = false;
  if (!f.node.IsScalar() || is_quoted(f.node) || !YAML::convert<bool>::decode(f.node, value)) {
    std::string message = "expected true or false";
    if (!f.node.IsScalar() || is_quoted(f.node)) message += ", got " + std::string(describe(f.node));
    diag.add(f.path, f.line, std::move(message));
    return std::nullopt;
  }
  return value;
}

std::optional<std::size_t> read_choice(const field& f, std::span<const std::string_view> choices,
                                       diagnostics& diag) {
  if (f.node.IsScalar()) {
    const auto it = std::find(choices.begin(), choices.end(), f.node.Scalar());
    if (it != choices.end()) return static_cast<std::size_t>(it - choices.begin());
  }
  std::string message = choices.size() == 2 ? "expected " + join(choices, " or ")
                                            : "expected one of " + join(choices, ", ");
  if (!f.node.IsScalar()) message += ", got " + std::string(describe(f.node));
  diag.add(f.path, f.line, std::move(message));
  return std::nullopt;
}

std::optional<std::pair<std::string_view, field>> pick_one(
    map_reader& m, std::span<const std::string_view> keys, bool required, diagnostics& diag) {
  std::vector<std::pair<std::string_view, field>> found;
  for (std::string_view key : keys) {
    if (std::optional<field> f = m.get(key)) found.emplace_back(key, *std::move(f));
  }
  if (!m.is_mapping()) return std::nullopt;
  if (found.size() > 1) {
    std::vector<std::string_view> names;
    for (const auto& [key, f] : found) names.push_back(key);
    diag.add(m.where().path, found[1].second.line,
             "set only one of " + join(keys, ", ") + " (found " + join(names, " and ") + ")");
    return std::nullopt;
  }
  if (found.empty()) {
    if (required) diag.add(m.where().path, m.where().line, "one of " + join(keys, ", ") + " is required");
    return std::nullopt;
  }
  return found.front();
}

}  // namespace pcbridge::config::detail
