#include "proxy/cli_help.hpp"

#include "proxy/build_info.hpp"

namespace pcbridge::proxy {

// Layout contract for cmake/man_from_help.cmake: section titles end in ':' at column 0,
// option lines start with two spaces and a '-' or a command word, descriptions follow.
std::string help_text() {
  return version_line() +
         " - serves legacy PowerClerk V1 API clients through the V2 API\n"
         "\n"
         "Usage:\n"
         "  pcbridge --config FILE [--port-file PATH] [--admin-port-file PATH]\n"
         "  pcbridge --check-config FILE\n"
         "  pcbridge translate --method NAME --direction request|response [--schema FILE]\n"
         "                     [--current FILE] [--config FILE] [--compat KEY=VALUE]...\n"
         "  pcbridge translate --list-methods\n"
         "  pcbridge usage --config FILE [--since DAYS]\n"
         "  pcbridge --version\n"
         "  pcbridge --help\n"
         "\n"
         "Serving:\n"
         "  --config FILE            Run the gateway with this YAML configuration. SIGHUP reloads it\n"
         "                           (an invalid file keeps the running one); SIGTERM and SIGINT drain\n"
         "                           in-flight requests and exit 0.\n"
         "  --port-file PATH         Write the client listener's port to PATH once listening\n"
         "                           (useful with listen.port 0).\n"
         "  --admin-port-file PATH   The same for the admin listener.\n"
         "  --check-config FILE      Validate FILE, print a one-line summary, exit 0 or 3; every\n"
         "                           problem is printed as FILE:LINE: key.path: message.\n"
         "\n"
         "translate (one body on stdin, translated to stdout; nothing is sent anywhere):\n"
         "  --method NAME            V1 method, e.g. GetProjectData (--list-methods lists them).\n"
         "  --direction DIR          request: V1 XML -> V2 JSON; response: V2 JSON -> V1 XML.\n"
         "  --schema FILE            V2 GetFormSchema answer typing Date and Boolean fields.\n"
         "  --current FILE           Current V2 data answer, for a partial multi-instance SetProjectData.\n"
         "  --config FILE            Apply the compat: section of this pcbridge configuration.\n"
         "  --compat KEY=VALUE       One compatibility setting on top (repeatable).\n"
         "  --list-methods           Print every V1 method with its verb and V1 path, then exit.\n"
         "\n"
         "usage (the V1 usage report as a table, read from Redis or usage.state_file):\n"
         "  --config FILE            The configuration naming the store.\n"
         "  --since DAYS             Clients and calls of the last DAYS UTC days (1-90), not all time.\n"
         "\n"
         "Other:\n"
         "  --version                Print the version (and git revision when built from a checkout).\n"
         "  -h, --help               Print this help.\n"
         "\n"
         "Exit status:\n"
         "  0                        Success: drained after SIGTERM, config valid, body translated.\n"
         "  1                        Runtime failure: a listener cannot start, a translation failed.\n"
         "  2                        Usage error: unknown subcommand or option, missing value.\n"
         "  3                        Invalid configuration (or one the process cannot use).\n";
}

}  // namespace pcbridge::proxy
