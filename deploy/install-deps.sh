#!/usr/bin/env bash
# Installs the Debian packages pcbridge needs to build, test and run its demo.
# Idempotent: packages already present are not touched, and apt is only called
# when something is missing. Needs root (or sudo) and Debian's apt sources.
set -euo pipefail

packages=(
  build-essential cmake ninja-build                      # toolchain
  libboost1.81-dev libboost-url1.81-dev libssl-dev       # Beast/Asio, URL parsing, TLS
  libpugixml-dev nlohmann-json3-dev libyaml-cpp-dev      # V1 XML, V2 JSON, config
  doctest-dev libbenchmark-dev                           # tests and benchmarks
  curl openssl redis-server                              # demo, test certificates, shared-quota tests
  nginx wrk strace                                       # scripts/bench-proxy.sh (pcbridge vs nginx proxy_pass)
  clang libclang-rt-14-dev                               # libFuzzer targets and their sanitizer runtime
  mono-mcs mono-runtime libmono-system-xml4.0-cil        # the legacy .NET client test (HttpWebRequest,
  libmono-system-xml-linq4.0-cil libmono-system-core4.0-cil #   XmlSerializer) run under Mono
  chromium fonts-dejavu-core                             # the dashboard's browser test (tests/browser), headless
  dpkg-dev groff-base                                    # the .deb: dpkg-shlibdeps, man page check
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
