// The dashboard's ring of recent upstream errors (proxy/upstream_errors.hpp) and what the
// request path feeds it (proxy/status_feed.hpp): bounded, newest first, scrubbed.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "proxy/metrics.hpp"
#include "proxy/request_state.hpp"
#include "proxy/status_feed.hpp"
#include "proxy/upstream_client.hpp"
#include "proxy/upstream_errors.hpp"

using namespace pcbridge::proxy;

namespace {

std::chrono::sys_seconds at(long long s) { return std::chrono::sys_seconds{std::chrono::seconds{s}}; }

upstream_error error_of(int status, std::string message) {
  return upstream_error{at(1796205600), status, "GetProjects", "legacy-user", std::move(message)};
}

}  // namespace

TEST_CASE("upstream errors: newest first, at most capacity kept, every one counted") {
  upstream_error_ring ring(3);
  for (int i = 1; i <= 5; ++i) ring.add(error_of(500, "error " + std::to_string(i)), {});
  REQUIRE(ring.newest_first().size() == 3);
  CHECK(ring.newest_first()[0].message == "error 5");
  CHECK(ring.newest_first()[1].message == "error 4");
  CHECK(ring.newest_first()[2].message == "error 3");
  CHECK(ring.total() == 5);
  CHECK(ring.capacity() == 3);
  CHECK(upstream_error_ring().capacity() == 20);
}

TEST_CASE("upstream errors: secrets echoed by upstream are scrubbed, raw and form-encoded") {
  upstream_error_ring ring;
  ring.add(error_of(400, "bad key demo-key for secret s3cr+t/x (s3cr%2Bt%2Fx) with token eyJtok.en, pass hunter22"),
           {"demo-key", "s3cr+t/x", "eyJtok.en", "hunter22"});
  REQUIRE(ring.newest_first().size() == 1);
  const upstream_error& e = ring.newest_first()[0];
  CHECK(e.message == "bad key *** for secret *** (***) with token ***, pass ***");
  CHECK(e.status == 400);
  CHECK(e.method == "GetProjects");
  CHECK(e.user == "legacy-user");
  CHECK(e.at == at(1796205600));
}

TEST_CASE("upstream errors: one line, at most 300 characters, cut after scrubbing") {
  upstream_error_ring ring;
  ring.add(error_of(500, "line one\r\nline\ttwo"), {});
  CHECK(ring.newest_first()[0].message == "line one  line two");
  // A secret straddling the cut is scrubbed first, so no part of it remains.
  const std::string secret = "TOPSECRET-api-key";
  ring.add(error_of(500, std::string(295, 'a') + secret), {secret});
  CHECK(ring.newest_first()[0].message == std::string(295, 'a') + "***");
  ring.add(error_of(500, std::string(299, 'a') + "\xC3\xA9" + "tail"), {});
  CHECK(ring.newest_first()[0].message == std::string(299, 'a') + "...");  // not half of the é
  ring.add(error_of(500, std::string(400, 'b')), {});
  CHECK(ring.newest_first()[0].message == std::string(300, 'b') + "...");
}

TEST_CASE("status feed: an upstream error of a request is kept scrubbed of that request's secrets") {
  string_request req{http::verb::get, "/Services.svc/v1/Programs/P/Projects", 11};
  access_record rec;
  rec.v1_method = "GetProjects";
  request_state st{req, rec};
  st.who.user = "legacy-user";
  st.token = "tok-0123456789";
  st.creds = {"demo-client", "demo-secret"};
  st.api_key = "demo-key";
  st.password = "s3cret-legacy-pass";

  status_feed feed;
  const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1796205600}};
  upstream_result ok;
  ok.response.result(200);
  feed.upstream_attempt(st, ok, now);
  CHECK(feed.errors.total() == 0);

  upstream_result failed;
  failed.response.result(500);
  failed.response.body() =
      R"({"title":"Internal","detail":"key demo-key, secret demo-secret, token tok-0123456789, pw s3cret-legacy-pass"})";
  feed.upstream_attempt(st, failed, now + std::chrono::seconds(5));
  upstream_result none;
  none.failure = upstream_failure::timeout;
  none.detail = "no answer within 3000 ms";
  feed.upstream_attempt(st, none, now + std::chrono::seconds(6));

  REQUIRE(feed.errors.newest_first().size() == 2);
  const upstream_error& timeout = feed.errors.newest_first()[0];
  CHECK(timeout.status == 0);
  CHECK(timeout.message == "upstream timeout: no answer within 3000 ms");
  const upstream_error& e = feed.errors.newest_first()[1];
  CHECK(e.status == 500);
  CHECK(e.method == "GetProjects");
  CHECK(e.user == "legacy-user");
  CHECK(e.at == at(1796205605));
  CHECK(e.message == "key ***, secret ***, token ***, pw ***");
  // Every attempt spent quota on the key.
  const auto keys = feed.quota.view(now + std::chrono::seconds(10));
  REQUIRE(keys.size() == 1);
  CHECK(keys.begin()->second.operations_last_hour == 3);
  CHECK(keys.begin()->first == api_key_fingerprint("demo-key"));
}
