#include "translators/current_data.hpp"

#include <optional>

#include "translators/json_reader.hpp"
#include "translators/v1_xml_read.hpp"

namespace pcbridge::translators::v1_xml {

namespace {

using json::kind;

// One pass over the answer. A shape problem (Project not an object, ...) is kept, not
// returned at once: the whole text is still read, so invalid JSON is reported as such
// wherever it is, as a DOM parse would. Duplicate "Project" or "DataFields" members: the
// first counts (RFC 8259 §4 leaves duplicates to the reader; V2 sends none).
class current_pass {
 public:
  current_pass(method_id m, std::string_view text, const id_index& wanted, std::size_t wanted_count)
      : m_(m), r_(text), wanted_(wanted), found_(wanted_count) {}

  outcome<current_lists> run() {
    if (r_.peek() == kind::object) {
      r_.begin_container();
      bool seen = false;
      while (r_.next_key(key_, storage_)) {
        if (key_ == "Project" && !seen) {
          seen = true;
          if (!read_project()) break;
        } else if (!r_.skip_value(1)) {
          break;
        }
      }
    } else if (r_.skip_value(0)) {
      note(bad_answer(m_, "(root)", "is not an object"));
    }
    if (!r_.finish()) {
      return bad_answer(m_, "(root)", std::string("invalid JSON: ") + r_.problem() + " at offset " +
                                          std::to_string(r_.offset()));
    }
    if (shape_) return *shape_;
    return std::move(found_);
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  void note(failure f) {
    if (!shape_) shape_ = std::move(f);
  }

  bool read_project() {
    const kind k = r_.peek();
    if (k == kind::null) return r_.read_null();
    if (k != kind::object) {
      if (!r_.skip_value(1)) return false;
      note(bad_answer(m_, "Project", "is not an object"));
      return true;
    }
    r_.begin_container();
    bool seen = false;
    while (r_.next_key(key_, storage_)) {
      if (key_ == "DataFields" && !seen) {
        seen = true;
        if (!read_fields()) return false;
      } else if (!r_.skip_value(2)) {
        return false;
      }
    }
    return !r_.failed();
  }

  bool read_fields() {
    const kind k = r_.peek();
    if (k == kind::null) return r_.read_null();
    if (k != kind::array) {
      if (!r_.skip_value(2)) return false;
      note(bad_answer(m_, "Project.DataFields", "is not an array"));
      return true;
    }
    r_.begin_container();
    for (std::size_t i = 0; r_.next_item(); ++i)
      if (!read_field(i)) return false;
    return !r_.failed();
  }

  // A member that may be a string: its view (into the text, or into `storage` when it had
  // escapes). Plain members, not std::optional: GCC 12 at -O3 warns that an optional view's
  // payload "may be used uninitialized" where it is copied (-Wmaybe-uninitialized).
  struct maybe_string {
    std::string_view text;
    bool present = false;
  };

  // `out` is not present for any other kind.
  bool read_optional_string(maybe_string& out, std::string& storage, int depth) {
    out = {};
    if (r_.peek() != kind::string) return r_.skip_value(depth);
    if (!r_.read_string(out.text, storage)) return false;
    out.present = true;
    return true;
  }

  // The members a field's values are read from are viewed, not copied: only a wanted field's
  // values are copied, once its ids are known (they may come after its values).
  bool read_field(std::size_t i) {
    if (r_.peek() != kind::object) return r_.skip_value(3);  // not a field: nothing to find in it
    r_.begin_container();
    maybe_string id, custom_id, value;
    bool has_values = false;
    std::size_t bad_item = none;  // first Values item that is no string, null, number or boolean
    while (r_.next_key(key_, storage_)) {
      bool ok = true;
      if (key_ == "DataFieldId") ok = read_optional_string(id, id_storage_, 4);
      else if (key_ == "CustomId") ok = read_optional_string(custom_id, custom_id_storage_, 4);
      else if (key_ == "Value") ok = read_optional_string(value, value_storage_, 4);
      else if (key_ == "Values") ok = read_values(has_values, bad_item);
      else ok = r_.skip_value(4);
      if (!ok) return false;
    }
    if (r_.failed()) return false;
    for (const maybe_string* name : {&id, &custom_id}) {
      if (!name->present) continue;
      const std::optional<std::uint32_t> number = wanted_.find(name->text);
      if (!number || found_[*number]) continue;
      if (has_values && bad_item != none) {
        note(bad_answer(m_, "Project.DataFields[" + std::to_string(i) + "].Values[" + std::to_string(bad_item) + "]",
                        "is not a string"));
        continue;
      }
      std::vector<std::string>& list = found_[*number].emplace();
      if (has_values) list.assign(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(values_count_));
      else if (value.present) list.emplace_back(value.text);
    }
    return true;
  }

  // The items go to values_[0 .. values_count_), whose strings are reused from field to field.
  bool read_values(bool& has_values, std::size_t& bad_item) {
    values_count_ = 0;
    bad_item = none;
    has_values = r_.peek() == kind::array;
    if (!has_values) return r_.skip_value(4);
    r_.begin_container();
    for (std::size_t j = 0; r_.next_item(); ++j) {
      if (values_count_ == values_.size()) values_.emplace_back();
      std::string& item = values_[values_count_++];
      std::string_view s;
      bool b = false;
      switch (r_.peek()) {
        case kind::string:
          if (!r_.read_string(s, storage_)) return false;
          item.assign(s);
          break;
        case kind::null:
          if (!r_.read_null()) return false;
          item.clear();
          break;
        case kind::number:
          if (!r_.read_number(s)) return false;
          item.assign(s);
          break;
        case kind::boolean:
          if (!r_.read_boolean(b)) return false;
          item.assign(b ? "true" : "false");
          break;
        default:
          if (!r_.skip_value(5)) return false;
          if (bad_item == none) bad_item = j;
          item.clear();
      }
    }
    return !r_.failed();
  }

  method_id m_;
  json::reader r_;
  const id_index& wanted_;
  current_lists found_;  // by wanted number
  std::optional<failure> shape_;
  std::string_view key_;
  std::string storage_;  // member names and Values items with escapes
  std::string id_storage_, custom_id_storage_, value_storage_;
  std::vector<std::string> values_;
  std::size_t values_count_ = 0;
};

}  // namespace

outcome<current_lists> read_current_values(method_id m, std::string_view v2_json, const id_index& wanted,
                                           std::size_t wanted_count) {
  return current_pass(m, v2_json, wanted, wanted_count).run();
}

}  // namespace pcbridge::translators::v1_xml
