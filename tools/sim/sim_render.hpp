#pragma once
// JSON for the objects several endpoints share (v2-api.md §3). Member order follows the V2
// samples, because the proxy maps members to XML attributes in document order.
#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_model.hpp"

#include <string>
#include <vector>

namespace pcbridge::sim {

// {"StatusId","CustomId","Name"} (§3.6 AvailableInStatuses entries, §6.11).
json render_status_ref(const status_def& s);
// §3.1 {"StatusId","CustomId","Name","Timestamp"}.
json render_current_status(const program& prog, const project& proj);
// §3.3 landing page URL.
std::string landing_url(const program& prog, const project& proj);
// §3.3 {"ProjectId","ProgramId","ProjectNumber","Url","LastChangeTimestamp","CurrentStatus"}.
json render_project_header(const program& prog, const project& proj);
// §5.1 list entry: the header with "ProjectOwner" before "CurrentStatus".
json render_project_summary(const program& prog, const project& proj);
// §5.1 {"Projects":[summary…],"RequestTimestamp":"…(7 fraction digits)"}.
json render_project_list(const program& prog, const std::vector<const project*>& projects, time_point now);
// §3.6 form entry.
json render_form_entry(const program& prog, const form_def& form);
// {"Name","Email"}.
json render_person(const person& p);

}  // namespace pcbridge::sim
