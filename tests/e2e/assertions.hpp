#pragma once
// Checks shared by the end-to-end tests: the V1 error shape (mapping.md §7) and what the
// simulator recorded.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "e2e/http_client.hpp"

namespace e2e {

inline const std::string v1_ns = "xmlns=\"http://service.powerclerk.com/api/v1/\"";

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A header of a request the simulator recorded (names are lower case there); "" if absent.
inline std::string header(const nlohmann::json& recorded, const std::string& name) {
  const auto& h = recorded["headers"];
  return h.contains(name) ? h[name].get<std::string>() : std::string();
}

// pcbridge's V1 error answer: status, content type, <Error> in the v1 namespace, request id.
inline void check_v1_error(const reply& r, int status) {
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(contains(r.body, "<Error " + v1_ns + " Status=\"" + std::to_string(status) + "\""));
  CHECK(contains(r.body, "RequestId=\"" + r.header("x-request-id") + "\""));
}

// As above, and the Message attribute is exactly `message`.
inline void check_v1_error(const reply& r, int status, const std::string& message) {
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(contains(r.body, "<Error " + v1_ns + " Status=\"" + std::to_string(status) + "\" Message=\"" + message +
                             "\" RequestId=\"" + r.header("x-request-id") + "\""));
}

}  // namespace e2e
