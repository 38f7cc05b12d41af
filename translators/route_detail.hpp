#pragma once
// Internal to the route table and match_v1; not part of the public route API.
#include "translators/route_table.hpp"

namespace pcbridge::translators {

// The Generic row as handed out for GET requests: idempotent, no request body. Kept
// beside the table (route_table.cpp) so the catch-all's data lives in one place.
const route& generic_get_route();

}  // namespace pcbridge::translators
