// parsed_answers: a value derived from shared upstream answers is made once per answer and
// made anew when an answer is replaced or gone.
#include <doctest/doctest.h>

#include "proxy/parsed_answers.hpp"

using namespace pcbridge::proxy;

namespace {

std::shared_ptr<const upstream_result> answer(const std::string& body) {
  auto r = std::make_shared<upstream_result>();
  r->response.body() = body;
  return r;
}

}  // namespace

TEST_CASE("parsed_answers: derived once per answer, anew for another answer") {
  parsed_answers<std::string> cache;
  int made = 0;
  auto make = [&made](const parsed_answers<std::string>::sources& from) {
    ++made;
    std::string joined;
    for (const auto& s : from) joined += s->response.body();
    return std::make_shared<const std::string>(joined);
  };
  auto a = answer("a");
  auto b = answer("b");
  CHECK(*cache.get({a}, make) == "a");
  CHECK(*cache.get({a}, make) == "a");
  CHECK(made == 1);
  CHECK(*cache.get({a, b}, make) == "ab");
  CHECK(*cache.get({b, a}, make) == "ba");  // order is part of the key
  CHECK(made == 3);
  auto a2 = answer("A");  // the answer refetched after its TTL
  CHECK(*cache.get({a2}, make) == "A");
  CHECK(made == 4);
}

TEST_CASE("parsed_answers: an answer freed and another at its address is not mistaken for it") {
  parsed_answers<std::string> cache;
  int made = 0;
  auto make = [&made](const parsed_answers<std::string>::sources& from) {
    ++made;
    return std::make_shared<const std::string>(from[0]->response.body());
  };
  const upstream_result* old_address = nullptr;
  {
    auto a = answer("old");
    old_address = a.get();
    CHECK(*cache.get({a}, make) == "old");
  }
  // Whether or not the allocator reuses the address, the new answer's own body comes back.
  for (int i = 0; i < 8; ++i) {
    auto b = answer("new" + std::to_string(i));
    CHECK(*cache.get({b}, make) == "new" + std::to_string(i));
    if (b.get() == old_address) MESSAGE("address reused");
  }
}

TEST_CASE("parsed_answers: nothing derivable is kept as null; dead entries are swept") {
  parsed_answers<std::string> cache;
  int made = 0;
  auto none = [&made](const parsed_answers<std::string>::sources&) {
    ++made;
    return std::shared_ptr<const std::string>();
  };
  auto a = answer("x");
  CHECK(cache.get({a}, none) == nullptr);
  CHECK(cache.get({a}, none) == nullptr);
  CHECK(made == 1);
  for (int i = 0; i < 200; ++i) cache.get({answer("gone")}, none);
  CHECK(cache.size() < 100);  // entries of freed answers do not pile up
  CHECK(cache.get({a}, none) == nullptr);
  CHECK(made == 201);
}
