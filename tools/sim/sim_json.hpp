#pragma once
// JSON helpers shared by every endpoint. ordered_json keeps members in the order they are
// written, which matters: the proxy turns members into XML attributes in document order.
#include "tools/sim/sim_message.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pcbridge::sim {

using json = nlohmann::ordered_json;

// Serialises compactly; invalid UTF-8 (e.g. a file name from a header) becomes U+FFFD
// instead of throwing.
std::string dump(const json& j);

// Parses a request body; nullopt when it is not JSON. Never throws.
std::optional<json> parse_json(std::string_view body);

// True when a Content-Type header names JSON (application/json or any +json type).
bool is_json_media_type(std::string_view content_type);

sim_response json_response(int status, const json& body);
// application/problem+json {"title":…,"status":…} (v2-api.md §2.9).
sim_response problem(int status, std::string_view title);

// A string member or a JSON null: how V2 writes optional strings (CustomId, ProjectNumber).
json string_or_null(const std::optional<std::string>& s);

}  // namespace pcbridge::sim
