#pragma once
// pcbridge's process exit statuses (documented in `pcbridge --help` and the README). Scripts and
// systemd tell a typo on the command line from a configuration that needs fixing by these.
namespace pcbridge::proxy {

inline constexpr int exit_ok = 0;           // served and drained, config valid, translated
inline constexpr int exit_failure = 1;      // runtime: a listener cannot start, a translation failed
inline constexpr int exit_usage = 2;        // unknown subcommand or option, missing value
inline constexpr int exit_bad_config = 3;   // the configuration is invalid or cannot be used

}  // namespace pcbridge::proxy
