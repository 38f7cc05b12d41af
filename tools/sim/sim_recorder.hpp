#pragma once
// Records the requests received on /services/v2 and /connect/token, in order, so the
// end-to-end tests can check exactly what the proxy sent upstream. Recorded as received,
// secrets included: this is test equipment, and nothing here is ever logged.
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_message.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace pcbridge::sim {

class request_recorder {
 public:
  static constexpr std::size_t max_body_bytes = 64 * 1024;
  static constexpr std::size_t max_entries = 100'000;  // oldest entries go first beyond this

  // Returns a handle for set_outcome().
  std::size_t record(const sim_request& req);
  // Notes the status the request was answered with (or that the connection was dropped).
  void set_outcome(std::size_t handle, const sim_response& resp);

  // [{"method","target","headers":{lower-case name: value},"body","body_size","status","dropped"}]
  json to_json() const;
  std::size_t clear();

 private:
  struct entry {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // the first max_body_bytes
    std::size_t body_size = 0;
    int status = 0;
    bool dropped = false;
  };
  std::deque<entry> entries_;
  std::size_t first_handle_ = 0;  // handle of entries_.front()
};

}  // namespace pcbridge::sim
