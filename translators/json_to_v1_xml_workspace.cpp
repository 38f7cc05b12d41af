// What V2 JSON -> V1 XML engines keep from one answer to the next (json_to_v1_xml_engine.hpp).
#include <string>
#include <type_traits>

#include "translators/json_to_v1_xml_engine.hpp"

namespace pcbridge::translators::json_to_xml {

void workspace::release_large() {
  // Frames beyond a usual answer's depth, and buffers past this size, go back to the heap.
  constexpr std::size_t kept_frames = 16;
  // At most 16 frames of 12 buffers of 16 KiB each stay (3 MiB in the worst case, a few KiB
  // for usual answers): the memory a thread keeps does not grow with the answers it saw.
  constexpr std::size_t kept_capacity = 16 * 1024;
  if (frames.size() > kept_frames) frames.resize(kept_frames);
  auto release = [](std::string& s) {
    if (s.capacity() > kept_capacity) std::string().swap(s);
  };
  // `x = {}` would keep x's storage (it assigns an empty list); a new empty container does not.
  auto drop = [](auto& container) { container = std::remove_reference_t<decltype(container)>{}; };
  for (frame& f : frames) {
    for (std::string* s : {&f.attrs, &f.pending, &f.trailing, &f.beside, &f.late_attrs, &f.children, &f.value,
                           &f.field_id, &f.custom_id, &f.key_storage, &f.value_storage, &f.name_storage})
      release(*s);
    if (f.values.size() > 64) {  // values keep their size (reused by index): it is the high mark
      drop(f.values);
      drop(f.value_null);
    }
    if (f.attr_names.capacity() > 64) drop(f.attr_names);
    for (std::string& v : f.values) release(v);
    if (!f.owned_names.empty()) f.owned_names.clear();  // clear() keeps a deque's first block only
    if (f.attr_name_set.bucket_count() > 64) drop(f.attr_name_set);
  }
  for (std::string* s : {&late_attr, &date_scratch, &item_value, &flat_key, &flat_value}) release(*s);
  for (std::string& s : flat_values) release(s);
  if (flat_unmapped.size() > 64) drop(flat_unmapped);
}

}  // namespace pcbridge::translators::json_to_xml
