// Config loading from a YAML string (config::load_config_text). Invariants: exactly one of
// a config or errors; every error has a message and no line past the text's last line; an
// accepted config holds what validation promises (non-empty upstream URLs, positive limits,
// unique client users). Secrets are resolved from *_env / *_file: the loader may read
// files the text names (harmless under the fuzzer), environment variables are unset.
#include <algorithm>
#include <set>
#include <string>

#include "config/config.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto result = pcbridge::config::load_config_text(text);
  FUZZ_CHECK((result.value == nullptr) != result.errors.empty());
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const auto& e : result.errors) {
    FUZZ_CHECK(!e.message.empty());
    FUZZ_CHECK(e.line >= 0 && e.line <= lines + 1);
  }
  if (!result.errors.empty()) {
    FUZZ_CHECK(!pcbridge::config::format_errors(result.errors, "<text>").empty());
    return 0;
  }
  const auto& c = *result.value;
  FUZZ_CHECK(!c.upstream.base_url.empty());
  FUZZ_CHECK(c.upstream.timeout_ms > 0 && c.upstream.operations_per_minute > 0);
  std::set<std::string> users;
  for (const auto& client : c.clients) FUZZ_CHECK(users.insert(client.user).second);
  return 0;
}
