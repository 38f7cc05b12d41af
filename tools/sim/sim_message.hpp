#pragma once
// The simulator's request and response: plain data, so the core needs no HTTP library
// and unit tests can drive it directly.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcbridge::sim {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

// Header fields in arrival order. Names compare ASCII case-insensitively, as in HTTP.
class header_list {
 public:
  using field = std::pair<std::string, std::string>;

  // Value of the first field named `name`, if any.
  std::optional<std::string_view> find(std::string_view name) const;
  // Appends a field (duplicates allowed, as on the wire).
  void add(std::string name, std::string value);
  // Replaces every field named `name` by one field.
  void set(std::string name, std::string value);

  const std::vector<field>& fields() const { return fields_; }

 private:
  std::vector<field> fields_;
};

struct sim_request {
  std::string method;   // "GET", "POST", ... as received
  std::string target;   // raw request target: path?query, still percent-encoded
  header_list headers;
  std::string body;
};

struct sim_response {
  int status = 200;
  header_list headers;
  std::string body;
  int delay_ms = 0;              // the shell waits this long before answering
  bool drop_connection = false;  // the shell closes the socket instead of answering
};

}  // namespace pcbridge::sim
