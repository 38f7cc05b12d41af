#pragma once
// Ids of the simulator's seed data (tools/sim/README.md) and the path prefixes the tests
// build on, in one place.
#include <string>

namespace e2e {

inline const std::string program = "PRG0M4A7B2CD";          // "Net Metering"
inline const std::string form = "F0RM1A2B3C4D";             // "Interconnection Application"
inline const std::string approved_project = "PRJ7K2M9Q4XZ";  // NM-00001, Approved, all form-1 data submitted
inline const std::string review_project = "PRJ5S6U7B8M9";    // NM-00002, Application Review
inline const std::string draft_project = "PRJ3D4R5F6T7";     // no number, Unsubmitted, draft data only
inline const std::string v1 = "/Services.svc/v1/Programs/" + program;
inline const std::string v2 = "/services/v2/Programs/" + program;

}  // namespace e2e
