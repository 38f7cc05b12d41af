#pragma once
// Fault injection for the end-to-end tests: queued answers that replace (or decorate) what
// the simulator would have said to the next matching requests.
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pcbridge::sim {

struct fault {
  std::string match;                  // substring of the raw request target; "" matches all
  std::optional<std::string> method;  // compared case-insensitively; none = any method
  std::optional<int> status;          // answer this status instead of the real one
  std::optional<std::string> body;    // body of that answer; default a problem+json body
  int count = 1;                      // how many requests it applies to
  int delay_ms = 0;
  bool drop = false;                  // close the connection instead of answering
  header_list headers;                // added to (or replacing) the answer's headers
  bool after_processing = false;      // process the request first (the write happens), then fault
};

// Reads one fault from the /__sim/faults body. Unknown members are an error, so a typo
// cannot silently queue a fault that does nothing.
std::variant<fault, std::string> parse_fault(const json& j);
json describe(const fault& f);

// True when the request must still be processed before the fault shapes the answer: the
// fault says so, or it only delays or adds headers.
bool processes_request(const fault& f);
// The answer the fault makes of `processed` (the real answer, or an empty one).
sim_response apply_fault(const fault& f, sim_response processed);

class fault_queue {
 public:
  void add(fault f) { faults_.push_back(std::move(f)); }
  // Uses up one application of the first queued fault matching the request.
  std::optional<fault> take(std::string_view method, std::string_view target);
  std::size_t clear();
  json describe() const;

 private:
  std::vector<fault> faults_;
};

}  // namespace pcbridge::sim
