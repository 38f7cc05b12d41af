#pragma once
// The per-method V1 XML -> V2 JSON translators behind v1_xml_to_json (mapping.md §5). Internal
// to translators/: each takes the root element already checked by v1_xml::load().
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string_view>

#include "translators/outcome.hpp"
#include "translators/translate.hpp"
#include "translators/v1_xml_read.hpp"

namespace pcbridge::translators::v1_xml {

// Generic XML -> JSON (v1_xml_generic.cpp): attributes and text-only children -> strings,
// repeated children -> arrays, xsi:nil="true" -> null.
ojson generic_object(pugi::xml_node n);

// SetProjectData (v1_xml_project_data.cpp). `current`: see v1_xml_to_json. `owner`, when
// set, is what keeps `root`'s document alive: a write that needs the current data then keeps
// its fields, grouped, in translated::pending (holding `owner`) for finish_project_data.
outcome<translated> set_project_data(method_id m, pugi::xml_node root, std::optional<std::string_view> current,
                                     const translate_context& ctx, std::shared_ptr<const void> owner);
outcome<translated> finish_project_data(const pending_write& pending, std::string_view current);

// GetProjectsByNumber and GetProjectsByData (v1_xml_projects_query.cpp).
outcome<translated> projects_by_number(pugi::xml_node root, const translate_context& ctx);
outcome<translated> projects_by_data(pugi::xml_node root, const translate_context& ctx);

}  // namespace pcbridge::translators::v1_xml
