#pragma once
// "Did you mean" for misspelt keys and names.
#include <optional>
#include <span>
#include <string_view>

namespace pcbridge::config::detail {

// Levenshtein distance (insert, delete, substitute; each costs 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is at most 2 edits away (and closer than
// retyping the word); the first such candidate wins a tie. nullopt when none is close.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

}  // namespace pcbridge::config::detail
