#pragma once
// Protects the token endpoint from credential stuffing through basic_as_client_credentials
// (issue 8 item 11), where any Basic pair a client sends becomes a client id/secret that
// pcbridge would present to the identity provider. Two rules, pure (no I/O, clock passed in):
// - a pair the token endpoint refused is remembered, by a digest only, for `failed_ttl`
//   (at most `max_failed` pairs, least recently refused dropped first): sending it again
//   is answered from memory, without a token call;
// - token fetches for pairs never seen to work share one small token bucket
//   (`unknown_per_second`, burst `unknown_burst`), so however many distinct pairs arrive,
//   the identity provider sees a bounded rate (and cannot be driven to lock the account).
// Runs on the proxy's one thread.
#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <map>
#include <string>

namespace pcbridge::proxy {

class login_guard {
 public:
  using clock = std::chrono::steady_clock;
  using digest = std::array<unsigned char, 32>;

  struct options {
    std::size_t max_failed = 4096;                 // ~100 bytes each: bounded at well under 1 MB
    std::chrono::seconds failed_ttl{300};          // a corrected password works again after this
    double unknown_per_second = 2.0;               // sign-ins with unproven pairs, all clients together
    double unknown_burst = 10.0;
  };

  login_guard() : login_guard(options{}) {}
  explicit login_guard(options o) : o_(o), tokens_(o.unknown_burst) {}

  // The reason the pair was refused, if it was within failed_ttl; null otherwise.
  const std::string* refused(const digest& pair, clock::time_point now);
  void remember_refusal(const digest& pair, std::string reason, clock::time_point now);
  // Takes one fetch from the bucket for an unproven pair; false when it is empty.
  bool take_unknown_fetch(clock::time_point now);

  std::size_t remembered() const { return failed_.size(); }
  const options& settings() const { return o_; }

 private:
  struct failure {
    std::string reason;
    clock::time_point until;
    std::list<digest>::iterator order;
  };
  options o_;
  std::map<digest, failure> failed_;
  std::list<digest> order_;  // oldest refusal first
  double tokens_;
  clock::time_point refilled_{};
};

}  // namespace pcbridge::proxy
