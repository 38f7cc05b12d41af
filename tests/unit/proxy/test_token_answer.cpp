// The token endpoint's answer (token_answer.hpp): exact outcomes for the shapes identity
// providers send, and for the ones that broke pcbridge (issue 8 item 10, 13).
#include <doctest/doctest.h>

#include "proxy/token_answer.hpp"

using namespace pcbridge::proxy;
using std::chrono::seconds;

namespace {
fetched_token with_expiry(const std::string& expires_in) {
  return parse_token_answer(R"({"access_token":"T1","token_type":"Bearer","expires_in":)" + expires_in + "}", 200);
}
}  // namespace

TEST_CASE("token answer: a normal answer") {
  auto ok = parse_token_answer(R"({"access_token":"T1","expires_in":3600,"token_type":"Bearer"})", 200);
  CHECK(ok.ok);
  CHECK(ok.access_token == "T1");
  CHECK(ok.expires_in == seconds(3600));
  CHECK(ok.error.empty());
}

TEST_CASE("token answer: expires_in shapes") {
  CHECK(with_expiry("3600.0").expires_in == seconds(3600));
  CHECK(with_expiry("3600.9").expires_in == seconds(3600));
  CHECK(with_expiry("\"3600\"").expires_in == seconds(3600));
  CHECK(with_expiry("3").expires_in == seconds(3));
  CHECK(with_expiry("null").expires_in == seconds(3600));
  CHECK(parse_token_answer(R"({"access_token":"T1"})", 200).expires_in == seconds(3600));  // missing: documented 60 min
}

TEST_CASE("token answer: a huge expires_in is clamped to a day, not overflowed") {
  for (const char* huge : {"10000000000", "1e10", "18446744073709551615", "1e300", "\"999999999999999\""}) {
    auto t = with_expiry(huge);
    CHECK_MESSAGE(t.ok, huge);
    CHECK_MESSAGE(t.expires_in == seconds(86400), huge);
  }
}

TEST_CASE("token answer: zero, negative and non-numeric lifetimes are failures with a reason") {
  CHECK(with_expiry("0").error == "token endpoint answer has an unusable expires_in: expires_in is 0");
  CHECK(with_expiry("-5").error == "token endpoint answer has an unusable expires_in: expires_in is -5");
  CHECK(with_expiry("0.5").error == "token endpoint answer has an unusable expires_in: expires_in is below 1 s");
  CHECK(with_expiry("\"soon\"").error == "token endpoint answer has an unusable expires_in: expires_in is not a number");
  CHECK(with_expiry("\"-5\"").error == "token endpoint answer has an unusable expires_in: expires_in is not a number");
  CHECK(with_expiry("true").error == "token endpoint answer has an unusable expires_in: expires_in is not a number");
  for (const char* bad : {"0", "-5", "\"soon\"", "[]"}) CHECK_FALSE(with_expiry(bad).ok);
}

TEST_CASE("token answer: empty and header-breaking tokens are refused") {
  auto empty = parse_token_answer(R"({"access_token":"","expires_in":3600})", 200);
  CHECK_FALSE(empty.ok);
  CHECK(empty.error == "token endpoint answer has an empty access_token");
  auto crlf = parse_token_answer(R"({"access_token":"abc\r\nX-Evil: 1","expires_in":3600})", 200);
  CHECK_FALSE(crlf.ok);
  CHECK(crlf.access_token.empty());
  CHECK(crlf.error == "token endpoint answer has an access_token that is not a valid header value");
  CHECK_FALSE(parse_token_answer(R"({"access_token":"a b","expires_in":3600})", 200).ok);
  CHECK_FALSE(parse_token_answer("{\"access_token\":\"caf\xc3\xa9\"}", 200).ok);
  CHECK_FALSE(parse_token_answer(R"({"access_token":")" + std::string(8193, 'a') + "\"}", 200).ok);
  CHECK(parse_token_answer(R"({"access_token":"eyJ.a-b_c~d+e/f=="})", 200).ok);
  CHECK(usable_token(std::string(8192, 'a')));
  CHECK_FALSE(usable_token(""));
}

TEST_CASE("token answer: bodies that are not token answers") {
  CHECK(parse_token_answer("not json", 200).error == "token endpoint answer is not a JSON object");
  CHECK(parse_token_answer("[1]", 200).error == "token endpoint answer is not a JSON object");
  CHECK(parse_token_answer("", 200).error == "token endpoint answer is not a JSON object");
  CHECK(parse_token_answer(R"({"expires_in":3600})", 200).error == "token endpoint answer has no access_token");
  CHECK(parse_token_answer(R"({"access_token":5})", 200).error == "token endpoint answer has no access_token");
}

TEST_CASE("token answer: bytes after a NUL are not ignored (fuzz_json_reader finding: nlohmann stops at NUL)") {
  const std::string answer("{\"access_token\":\"T1\",\"expires_in\":3600}\0junk", 44);
  REQUIRE(answer.size() == 44);
  CHECK(parse_token_answer(answer, 200).error == "token endpoint answer is not a JSON object");
  CHECK(parse_token_answer(answer.substr(0, 39), 200).ok);  // the same answer without the tail
}

TEST_CASE("token answer: endpoint errors carry status, code and description on one line") {
  auto rejected = parse_token_answer(R"({"error":"invalid_client"})", 400);
  CHECK_FALSE(rejected.ok);
  CHECK(rejected.credentials_rejected);
  CHECK(rejected.error == "token endpoint answered 400 (invalid_client)");
  auto described = parse_token_answer(R"({"error":"invalid_request","error_description":"line one\r\nline\ttwo"})", 400);
  CHECK_FALSE(described.credentials_rejected);
  CHECK(described.error == "token endpoint answered 400 (invalid_request): line one line two");
  CHECK(parse_token_answer(R"({"error":"x","error_description":")" + std::string(300, 'd') + "\"}", 400).error ==
        "token endpoint answered 400 (x): " + std::string(200, 'd') + "...");
  CHECK(parse_token_answer("", 401).credentials_rejected);
  CHECK(parse_token_answer("<html>oops</html>", 500).error == "token endpoint answered 500");
  CHECK(parse_token_answer(R"({"error":5})", 503).error == "token endpoint answered 503");
  // A 200 status is required: a 201 with a token is not taken.
  CHECK(parse_token_answer(R"({"access_token":"T1"})", 201).error == "token endpoint answered 201");
}
