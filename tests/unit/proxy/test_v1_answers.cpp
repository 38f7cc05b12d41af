#include <doctest/doctest.h>

#include "proxy/endpoint.hpp"
#include "proxy/token_fetcher.hpp"
#include "proxy/v1_answers.hpp"

using namespace pcbridge::proxy;

TEST_CASE("upstream error messages: problem details, error objects, plain text") {
  CHECK(upstream_error_message(R"({"type":"x","title":"Bad Request","status":400,"detail":"Date must be yyyy-MM-dd"})") ==
        "Date must be yyyy-MM-dd");
  CHECK(upstream_error_message(R"({"title":"Not Found","status":404})") == "Not Found");
  CHECK(upstream_error_message(R"({"error":"invalid_client"})") == "invalid_client");
  CHECK(upstream_error_message("plain\n  text\tmessage") == "plain text message");
  CHECK(upstream_error_message(std::string(400, 'a'), 10) == "aaaaaaaaaa...");
}

TEST_CASE("secrets are scrubbed from messages") {
  CHECK(scrub_secrets("token abc123 and key KEYXYZ and abc123", {"abc123", "KEYXYZ", "", "ab"}) ==
        "token *** and key *** and ***");
}

TEST_CASE("V1 error answers carry status, request id and the V1 error document") {
  auto res = v1_error(401, "invalid user name or password", "rid-1", pcbridge::translators::error_body_form::xml);
  CHECK(res.result_int() == 401);
  CHECK(res[http::field::www_authenticate] == "Basic realm=\"pcbridge\", charset=\"UTF-8\"");
  CHECK(res["X-Request-Id"] == "rid-1");
  CHECK(res[http::field::content_type] == "application/xml; charset=utf-8");
  CHECK(res.body() ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Error xmlns=\"http://service.powerclerk.com/api/v1/\" "
        "Status=\"401\" Message=\"invalid user name or password\" RequestId=\"rid-1\"/>");
  CHECK(v1_error(404, "x", "r", pcbridge::translators::error_body_form::xml).count(http::field::www_authenticate) == 0);
}

TEST_CASE("compat error_body: text: pcbridge's error is the message as text/plain, headers unchanged") {
  auto res = v1_error(401, "invalid user name\nor password", "rid-2", pcbridge::translators::error_body_form::text);
  CHECK(res.result_int() == 401);
  CHECK(res[http::field::content_type] == "text/plain; charset=utf-8");
  CHECK(res.body() == "invalid user name or password");
  CHECK(res[http::field::www_authenticate] == "Basic realm=\"pcbridge\", charset=\"UTF-8\"");
  CHECK(res["X-Request-Id"] == "rid-2");
  CHECK(res["x-amzn-RequestId"] == "rid-2");
}

TEST_CASE("mapping.md §7: pcbridge's own answers carry x-amzn-RequestId = its request id (V1 error, V2 error, document)") {
  CHECK(v1_error(401, "no", "rid-7", pcbridge::translators::error_body_form::xml)["x-amzn-RequestId"] == "rid-7");
  CHECK(v2_error(503, "no", "rid-8")["x-amzn-RequestId"] == "rid-8");
  CHECK(v1_document(200, "<A/>", "rid-9")["x-amzn-RequestId"] == "rid-9");
  CHECK(v1_status_with_body(204) == 200);
  CHECK(v1_status_with_body(201) == 201);
}

TEST_CASE("form encoding of client credentials") {
  CHECK(form_encode("abc-._~") == "abc-._~");
  CHECK(form_encode("a b&c=d+e/") == "a+b%26c%3Dd%2Be%2F");
}

TEST_CASE("upstream URLs: scheme, default ports, path prefix") {
  auto a = parse_endpoint("https://api.cleanpowerdemo.com/PCITrial/");
  REQUIRE(a);
  CHECK(a->tls);
  CHECK(a->host == "api.cleanpowerdemo.com");
  CHECK(a->port == "443");
  CHECK(a->path_prefix == "/PCITrial");
  auto b = parse_endpoint("http://127.0.0.1:9000");
  REQUIRE(b);
  CHECK_FALSE(b->tls);
  CHECK(b->port == "9000");
  CHECK(b->path_prefix.empty());
  CHECK_FALSE(parse_endpoint("ftp://x"));
  CHECK_FALSE(parse_endpoint("not a url"));
}

TEST_CASE("scrubbing also catches a secret as it travels in a form body") {
  CHECK(scrub_secrets("body was client_id=x&client_secret=p%40ss+w%2Ford", {"p@ss w/ord"}) ==
        "body was client_id=x&client_secret=***");
  CHECK(scrub_secrets("p@ss w/ord", {"p@ss w/ord"}) == "***");
}

// Issue 8 item 14: Retry-After and x-amzn-RequestId were copied from upstream as they came.
TEST_CASE("upstream headers are copied only when well-shaped and free of secrets") {
  http::response<http::string_body> up{http::status::too_many_requests, 11};
  auto copied = [&](std::string_view name, std::string_view value) {
    up.set(name, value);
    v1_response to{http::status::too_many_requests, 11};
    copy_upstream_header(up, to, name, {"the-api-key", "tok-123"});
    auto it = to.find(name);
    return it == to.end() ? std::string("(dropped)") : std::string(it->value());
  };
  CHECK(copied("Retry-After", "120") == "120");
  CHECK(copied("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT") == "Wed, 21 Oct 2026 07:28:00 GMT");
  CHECK(copied("Retry-After", "soon") == "(dropped)");
  CHECK(copied("Retry-After", "1; the-api-key") == "(dropped)");
  CHECK(copied("x-amzn-RequestId", "c0ffee-1234-abcd") == "c0ffee-1234-abcd");
  CHECK(copied("x-amzn-RequestId", "the-api-key") == "(dropped)");
  CHECK(copied("x-amzn-RequestId", "has space") == "(dropped)");
  CHECK(copied("x-amzn-RequestId", std::string(129, 'a')) == "(dropped)");
  CHECK(copied("x-amzn-RequestId", "id-tok-123") == "(dropped)");
}
