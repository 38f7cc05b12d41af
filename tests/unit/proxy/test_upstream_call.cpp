// The V1/V2 answers for upstream calls that got no usable answer (failure_answer): a
// read is never described as a write whose outcome is unknown.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "proxy/upstream_call.hpp"

using namespace pcbridge::proxy;

namespace {

std::string native_failure_title(http::verb method, upstream_failure failure) {
  string_request req{method, "/services/v2/Programs/P/Projects", 11};
  access_record rec;
  rec.request_id = "rid-1";
  request_state st{req, rec};
  st.native_v2 = true;
  upstream_result r;
  r.failure = failure;
  r.may_have_been_sent = true;
  r.detail = failure == upstream_failure::bad_status ? "upstream answered with HTTP status 302" : "reading answer: reset";
  return nlohmann::json::parse(failure_answer(st, r, 1500).body())["title"].get<std::string>();
}

}  // namespace

TEST_CASE("failure answer: a native HEAD is a read, never a write of unknown outcome; a POST is") {
  CHECK(native_failure_title(http::verb::head, upstream_failure::timeout) == "upstream did not answer within 1500 ms.");
  CHECK(native_failure_title(http::verb::get, upstream_failure::timeout) == "upstream did not answer within 1500 ms.");
  CHECK(native_failure_title(http::verb::head, upstream_failure::broken) ==
        "upstream connection failed: reading answer: reset.");
  const std::string post = native_failure_title(http::verb::post, upstream_failure::timeout);
  CHECK(post.rfind("upstream did not answer within 1500 ms. The outcome of this V2 POST write is unknown", 0) == 0);
}

TEST_CASE("failure answer: a status pcbridge does not pass on is a 502 naming it") {
  CHECK(native_failure_title(http::verb::get, upstream_failure::bad_status) == "upstream answered with HTTP status 302.");
  const std::string post = native_failure_title(http::verb::post, upstream_failure::bad_status);
  CHECK(post.rfind("upstream answered with HTTP status 302. The outcome of this V2 POST write is unknown", 0) == 0);
}
