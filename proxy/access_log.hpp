#pragma once
// One line per request (text or JSON) on stderr, plus start-up/warning lines.
// Holds no secrets by construction: callers pass only the fields below.
#include <chrono>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace pcbridge::proxy {

struct access_record {
  std::string request_id;
  std::string http_method;     // GET
  std::string path;            // V1 path without the query
  std::string v1_method;       // GetProjects, or "-" when no route matched
  std::string user;            // Basic user name once authenticated, else "-"
  int status = 0;              // what the client got
  int upstream_status = 0;     // last upstream answer, 0 when none
  int upstream_calls = 0;      // API operations made for this request
  std::chrono::milliseconds duration{0};
  std::string note;            // short reason for pcbridge's own errors, e.g. "bad_credentials"
};

// A field of the text format: as is when it is non-empty printable ASCII without spaces,
// quotes, backslashes or '='; else quoted, with \" \\ \n \r \t and \xHH escapes. A client-chosen
// value (user name, path) can then never end the line or fake another field.
std::string log_field(std::string_view value);
// The text-format access line (without the newline), `timestamp` first.
std::string access_text_line(const access_record& r, std::string_view timestamp);

class logger {
 public:
  explicit logger(config::log_config cfg) : cfg_(cfg) {}
  void reconfigure(config::log_config cfg) { cfg_ = cfg; }
  void access(const access_record& r) const;
  void info(std::string_view message) const;
  void warn(std::string_view message) const;
  void error(std::string_view message) const;
  void debug(std::string_view message) const;

 private:
  void line(config::log_config::level_kind level, std::string_view message) const;
  config::log_config cfg_;
};

}  // namespace pcbridge::proxy
