#pragma once
// How pcbridge answers a V1 client: XML documents, and errors in the one V1 error shape
// (mapping.md §7). Every error answer of the proxy is built by `v1_error`.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace pcbridge::proxy {

namespace http = boost::beast::http;
using v1_response = http::response<http::string_body>;

inline constexpr std::string_view v1_xml_content_type = "application/xml; charset=utf-8";

// Status + <Error .../> body + X-Request-Id; 401 also carries WWW-Authenticate: Basic.
v1_response v1_error(int status, std::string_view message, std::string_view request_id);

// The same error for a native V2 client (native_v2 forwarding): application/problem+json
// {"title","status","requestId"}.
v1_response v2_error(int status, std::string_view message, std::string_view request_id);

// 200 with a V1 XML document.
v1_response v1_document(int status, std::string body, std::string_view request_id);

// A short, single-line message from an upstream error body: problem+json "detail"/"title",
// {"error"/"message"}, or the text itself; at most `max_chars` characters.
std::string upstream_error_message(std::string_view body, std::size_t max_chars = 300);

// Replaces every occurrence of each non-empty secret (3+ chars) with "***".
std::string scrub_secrets(std::string text, std::initializer_list<std::string_view> secrets);

}  // namespace pcbridge::proxy
