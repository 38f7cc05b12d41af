#pragma once
// How pcbridge answers a V1 client: XML documents, and errors in the one V1 error shape
// (mapping.md §7). Every error answer of the proxy is built by `v1_error`.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

#include "translators/compat_profile.hpp"

namespace pcbridge::proxy {

namespace http = boost::beast::http;
using v1_response = http::response<http::string_body>;

inline constexpr std::string_view v1_xml_content_type = "application/xml; charset=utf-8";
// On every answer (mapping.md §7): upstream's value when it sent one, else pcbridge's request id.
// The builders below set pcbridge's; callers copy upstream's over it.
inline constexpr std::string_view amzn_request_id_header = "x-amzn-RequestId";

// Status + the error body in the profile's form (compat error_body: <Error .../> or the
// message as text) + X-Request-Id and x-amzn-RequestId; 401 also carries
// WWW-Authenticate: Basic. `form` has no default so that no error answer can miss the profile.
v1_response v1_error(int status, std::string_view message, std::string_view request_id,
                     translators::error_body_form form);

// The same error for a native V2 client (native_v2 forwarding): application/problem+json
// {"title","status","requestId"}.
v1_response v2_error(int status, std::string_view message, std::string_view request_id);

// The status of a translated 2xx answer: a 204 cannot carry the V1 document the client needs
// (mapping.md §4 rule 9), so it becomes 200.
inline int v1_status_with_body(int upstream_status) { return upstream_status == 204 ? 200 : upstream_status; }

// 200 with a V1 XML document.
v1_response v1_document(int status, std::string body, std::string_view request_id);

// A short, single-line message from an upstream error body: problem+json "detail"/"title",
// {"error"/"message"}, or the text itself; at most `max_chars` characters.
std::string upstream_error_message(std::string_view body, std::size_t max_chars = 300);

// Replaces every occurrence of each secret of 3+ characters, raw or form-encoded, with
// "***". The one scrubbing function: every path that carries upstream text (token
// endpoint errors, V2 error bodies, copied headers) to a client, a log or an admin page
// passes it the client secret, tokens, API key and password it knows.
std::string scrub_secrets(std::string text, std::initializer_list<std::string_view> secrets);

// Copies header `name` of an upstream answer to a client answer only when its value is
// what that header may hold, and holds no secret: Retry-After must be delay-seconds or an
// HTTP date (parse_retry_after), x-amzn-RequestId 1-128 of [A-Za-z0-9._:-]; a value
// containing one of `secrets` (scrub_secrets) is dropped, not copied.
void copy_upstream_header(const http::response_header<>& from, v1_response& to, std::string_view name,
                          std::initializer_list<std::string_view> secrets);

}  // namespace pcbridge::proxy
