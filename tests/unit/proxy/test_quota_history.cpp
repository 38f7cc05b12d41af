// Operations per API key over the last hour for the dashboard (proxy/quota_history.hpp).
#include <doctest/doctest.h>

#include <chrono>

#include "proxy/metrics.hpp"
#include "proxy/quota_history.hpp"

using namespace pcbridge::proxy;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
const quota_history::time_point t0{seconds{1796205600}};  // 2026-12-02T10:00:00Z
}

TEST_CASE("quota history: operations of the last 60 minutes, by key fingerprint") {
  quota_history q;
  q.count_operation("key-a", t0);
  q.count_operation("key-a", t0 + seconds(59));
  q.count_operation("key-a", t0 + minutes(30));
  q.count_operation("key-b", t0 + minutes(30));
  auto v = q.view(t0 + minutes(30));
  REQUIRE(v.size() == 2);
  CHECK(v.at(api_key_fingerprint("key-a")).operations_last_hour == 3);
  CHECK(v.at(api_key_fingerprint("key-b")).operations_last_hour == 1);
  CHECK(v.at(api_key_fingerprint("key-a")).fingerprint == api_key_fingerprint("key-a"));
  // Minute 0 leaves the hour at minute 60; minute 30's counts stay until minute 90.
  CHECK(q.view(t0 + minutes(59)).at(api_key_fingerprint("key-a")).operations_last_hour == 3);
  CHECK(q.view(t0 + minutes(60)).at(api_key_fingerprint("key-a")).operations_last_hour == 1);
  CHECK(q.view(t0 + minutes(89)).size() == 2);
  CHECK(q.view(t0 + minutes(90)).empty());
  CHECK(q.view(t0 + minutes(500)).empty());
}

TEST_CASE("quota history: queue lengths, and idle keys dropped when the limit is reached") {
  quota_history q(2);
  q.set_queue_length("key-a", 4, t0);
  CHECK(q.view(t0 + minutes(120)).at(api_key_fingerprint("key-a")).queue_length == 4);  // a queue stays shown
  q.set_queue_length("key-a", 0, t0 + minutes(1));
  CHECK(q.view(t0 + minutes(1)).empty());
  q.count_operation("key-b", t0 + minutes(1));
  // Two keys tracked (key-a idle): a third one makes room by dropping the idle one.
  q.count_operation("key-c", t0 + minutes(2));
  CHECK(q.tracked_keys() == 2);
  // No idle key left: a fourth is folded into "(other)".
  q.count_operation("key-d", t0 + minutes(3));
  q.count_operation("key-e", t0 + minutes(3));
  auto v = q.view(t0 + minutes(3));
  CHECK(v.size() == 3);
  CHECK(v.count(api_key_fingerprint("key-d")) == 0);
  CHECK(v.at("(other)").operations_last_hour == 2);
  CHECK(q.tracked_keys() == 3);  // max_keys, plus "(other)"
}

TEST_CASE("quota history: a clock before 1970 or stepping back stays within the buckets") {
  quota_history q;
  const quota_history::time_point before_epoch{seconds{-3600}};
  q.count_operation("key-a", before_epoch);
  q.count_operation("key-a", before_epoch - minutes(5));  // stepped back: counted in the newest bucket
  CHECK(q.view(before_epoch).at(api_key_fingerprint("key-a")).operations_last_hour == 2);
  CHECK(q.view(before_epoch + minutes(60)).empty());
}
