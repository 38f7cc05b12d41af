// Property checks over the golden inputs: every prefix and many one-byte corruptions of each
// input either translate to a well-formed document or fail with the right status and prefix —
// never a crash, never a partial document.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "translators/method.hpp"
#include "translators/translate.hpp"

namespace fs = std::filesystem;
using namespace pcbridge::translators;

namespace {

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// Variants of `input`: every prefix, and each position replaced by a few troublesome bytes.
template <class F>
void each_variant(const std::string& input, F&& f) {
  for (std::size_t n = 0; n < input.size(); ++n) f(input.substr(0, n));
  static constexpr char bytes[] = {'"', '{', ']', '\\', '<', '&', '\xFF', '\x01', ':'};
  const std::size_t step = input.size() > 600 ? 3 : 1;
  for (std::size_t i = 0; i < input.size(); i += step) {
    for (char b : bytes) {
      std::string v = input;
      v[i] = b;
      f(v);
    }
  }
}

}  // namespace

TEST_CASE("corrupted V2 answers: well-formed XML or a 502") {
  int checked = 0;
  for (const auto& m : fs::directory_iterator(fs::path(PCBRIDGE_SOURCE_DIR) / "tests" / "golden")) {
    if (!m.is_directory()) continue;
    const auto id = method_from_name(m.path().filename().string());
    if (!id) continue;
    for (const auto& c : fs::directory_iterator(m.path())) {
      const auto file = c.path() / "v2_response.json";
      if (!fs::exists(file)) continue;
      const std::string prefix = std::string(method_name(*id)) + ": cannot translate V2 answer: ";
      each_variant(read(file), [&](const std::string& v) {
        auto r = v2_response_to_v1(*id, v, translate_context{});
        if (r) {
          pugi::xml_document doc;
          const auto parsed = doc.load_buffer(r->body.data(), r->body.size());
          if (!parsed) FAIL_CHECK(c.path().string() << ": ill-formed output for input:\n" << v << "\n" << r->body);
        } else if (r.error().status != 502 || !r.error().message.starts_with(prefix)) {
          FAIL_CHECK(c.path().string() << ": unexpected failure " << r.error().status << " " << r.error().message);
        }
        ++checked;
      });
    }
  }
  MESSAGE(checked << " corrupted answers checked");
  CHECK(checked > 1000);
}

TEST_CASE("corrupted V1 requests: valid JSON or a 400") {
  int checked = 0;
  for (const auto& m : fs::directory_iterator(fs::path(PCBRIDGE_SOURCE_DIR) / "tests" / "golden")) {
    if (!m.is_directory()) continue;
    const auto id = method_from_name(m.path().filename().string());
    if (!id) continue;
    for (const auto& c : fs::directory_iterator(m.path())) {
      const auto file = c.path() / "v1_request.xml";
      if (!fs::exists(file)) continue;
      const std::string prefix = std::string(method_name(*id)) + ": ";
      each_variant(read(file), [&](const std::string& v) {
        auto r = v1_request_to_v2(*id, v, translate_context{});
        if (r) {
          if (!r->body.empty() && nlohmann::json::parse(r->body, nullptr, false).is_discarded()) {
            FAIL_CHECK(c.path().string() << ": output is not JSON for input:\n" << v << "\n" << r->body);
          }
        } else if (r.error().status != 400 || !r.error().message.starts_with(prefix)) {
          FAIL_CHECK(c.path().string() << ": unexpected failure " << r.error().status << " " << r.error().message);
        }
        ++checked;
      });
    }
  }
  MESSAGE(checked << " corrupted requests checked");
  CHECK(checked > 1000);
}
