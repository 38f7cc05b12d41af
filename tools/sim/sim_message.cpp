#include "tools/sim/sim_message.hpp"

#include <algorithm>

namespace pcbridge::sim {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::optional<std::string_view> header_list::find(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void header_list::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void header_list::set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const field& f) { return iequals(f.first, name); });
  fields_.emplace_back(std::move(name), std::move(value));
}

}  // namespace pcbridge::sim
