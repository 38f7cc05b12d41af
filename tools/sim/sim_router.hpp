#pragma once
// The V2 route table: verb, path pattern under /services/v2, handler. Literal segments are
// matched case-sensitively, with V2's documented casing (v2-api.md §2.1), so that a proxy
// writing `/programs/` or V1's `Services.svc` casing is caught.
#include "tools/sim/sim_api.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pcbridge::sim {

struct route_match {
  api_handler handler = nullptr;  // null: no route for this method and path
  std::map<std::string, std::string, std::less<>> params;
  bool other_method = false;  // the path is known, but not with this method (405)
};

// `segments` are the decoded path segments after /services/v2.
route_match match_route(std::string_view method, const std::vector<std::string>& segments);

}  // namespace pcbridge::sim
