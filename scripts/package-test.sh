#!/usr/bin/env bash
# Builds the Debian package from a Release build (build-release/, the demo's build directory)
# and checks it without installing it: the control fields (dpkg-deb --field), the exact file
# list and modes (dpkg-deb -c), the conffiles and maintainer scripts (dpkg-deb -e), and, from a
# scratch extraction: the binary is stripped and runs, the unit starts /usr/bin/pcbridge, the
# man page renders without warnings and names every subcommand and option of `--help`; then
# dpkg installs, removes and purges it in a scratch root of its own (--root).
# Prints the package's path, its size and how long each step took. Exit 0 only if all holds.
# PACKAGE_TEST_SKIP_BUILD=1 checks the .deb already in build-release/ (no build, no cpack).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-release
started=$(date +%s)
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
step() { echo "package-test: $1 took $(( $(date +%s) - $2 ))s"; }

version=$(sed -n 's/^project(pcbridge VERSION \([0-9][0-9.]*\) .*/\1/p' CMakeLists.txt)
[ -n "$version" ] || fail "no project(pcbridge VERSION ...) in CMakeLists.txt"
arch=$(dpkg --print-architecture)
deb="$build_dir/pcbridge_${version}_${arch}.deb"

if [ "${PACKAGE_TEST_SKIP_BUILD:-0}" != 1 ]; then
  deploy/install-deps.sh >/dev/null
  t=$(date +%s)
  # The same configuration as scripts/demo.sh, so the two share one build.
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPCBRIDGE_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target pcbridge pcbridge-man
  step "Release build (pcbridge, man page)" "$t"
  t=$(date +%s)
  rm -f "$deb"
  (cd "$build_dir" && cpack -G DEB >cpack.log) || { cat "$build_dir/cpack.log"; fail "cpack -G DEB"; }
  step "cpack -G DEB" "$t"
fi
[ -f "$deb" ] || fail "$deb was not produced"
t=$(date +%s)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# 1. Control fields.
field() { dpkg-deb --field "$deb" "$1"; }
dpkg-deb --info "$deb" | sed 's/^/  /'
[ "$(field Package)" = pcbridge ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), project() says $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[[ "$(field Maintainer)" =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || fail "Maintainer is not 'Name <address>': $(field Maintainer)"
[ "$(field Description | head -1)" = "serves legacy PowerClerk V1 API clients through the V2 API" ] \
  || fail "Description summary: $(field Description | head -1)"
[ "$(field Description | wc -l)" -ge 3 ] || fail "Description has no extended text"
! field Description | grep -q '.\{80\}' || fail "a Description line is 80 columns or more"
depends=$(field Depends)
# The shared libraries the binary links, by Debian package (dpkg-shlibdeps); no -dev package.
# pugixml is linked statically (translators/CMakeLists.txt), so it is not one of them.
for lib in 'libboost-url[0-9.]+' 'libssl[0-9]+' 'libyaml-cpp[0-9.]+' 'libstdc\+\+6' 'libc6'; do
  grep -Eq "(^|, )${lib}( \(|,|$)" <<<"$depends" || fail "Depends lacks ${lib}: $depends"
done
! grep -q -- '-dev' <<<"$depends" || fail "Depends names a -dev package: $depends"

# 2. Exact file list and modes; directories are only those the files need, plus secrets/.
dpkg-deb -c "$deb" | awk '{print $1, $6}' | sed 's|^\(.*\) \./|\1 /|' > "$scratch/list"
doc=/usr/share/doc/pcbridge
expected_files=(/etc/pcbridge/pcbridge.yaml /lib/systemd/system/pcbridge.service /usr/bin/pcbridge
  "$doc/LICENSE" "$doc/THIRD-PARTY-NOTICES" "$doc/README.md" "$doc/examples/pcbridge.example.yaml"
  /usr/share/man/man1/pcbridge.1.gz)
[ -f CHANGELOG.md ] && expected_files+=("$doc/CHANGELOG.md")
diff <(printf '%s\n' "${expected_files[@]}" | sort) <(grep -v '^d' "$scratch/list" | cut -d' ' -f2 | sort) \
  || fail "file list differs (< expected, > in the package)"
grep -Fxq -- '-rwxr-xr-x /usr/bin/pcbridge' "$scratch/list" || fail "/usr/bin/pcbridge is not 0755"
grep -Fxq -- '-rw-r--r-- /etc/pcbridge/pcbridge.yaml' "$scratch/list" || fail "pcbridge.yaml is not 0644"
grep -Fxq -- 'drwx------ /etc/pcbridge/secrets/' "$scratch/list" || fail "/etc/pcbridge/secrets/ is not a 0700 directory"
if grep -Ei 'sim|test|bench|fuzz' "$scratch/list"; then fail "the simulator or a test is packaged"; fi
! dpkg-deb -c "$deb" | awk '$2 != "root/root"' | grep -q . || fail "a file is not owned by root/root"

# 3. Control archive: conffiles exactly the config; maintainer scripts executable.
dpkg-deb -e "$deb" "$scratch/control"
[ "$(cat "$scratch/control/conffiles")" = /etc/pcbridge/pcbridge.yaml ] \
  || fail "conffiles: $(cat "$scratch/control/conffiles")"
for s in postinst prerm postrm; do [ -x "$scratch/control/$s" ] || fail "no executable $s"; done
! grep -v '^ *#' "$scratch/control/postinst" | grep -Eq 'enable|start' || fail "postinst enables or starts the service"

# 4. The files themselves, from a scratch extraction (nothing is installed on this machine).
dpkg-deb -x "$deb" "$scratch/root"
bin="$scratch/root/usr/bin/pcbridge"
readelf -S --wide "$bin" > "$scratch/sections"
! grep -Eq ' \.(symtab|debug_[a-z]+) ' "$scratch/sections" || fail "/usr/bin/pcbridge is not stripped"
size=$(stat -c %s "$bin")
echo "package-test: /usr/bin/pcbridge is $(( size / 1024 )) KiB, stripped ($(command -v file >/dev/null && file -b "$bin" | cut -d, -f1,8- || echo 'no .symtab, no .debug_*'))"
[ -f build/pcbridge ] && echo "package-test: (build/pcbridge, RelWithDebInfo: $(( $(stat -c %s build/pcbridge) / 1024 )) KiB)"
[ "$size" -lt $(( 40 * 1024 * 1024 )) ] || fail "stripped binary over 40 MiB: $size bytes"
"$bin" --version | grep -Eq "^pcbridge ${version//./\\.}( |$)" || fail "--version: $("$bin" --version)"
"$bin" --check-config "$scratch/root$doc/examples/pcbridge.example.yaml" >/dev/null \
  || fail "the packaged example config does not pass --check-config"
unit="$scratch/root/lib/systemd/system/pcbridge.service"
grep -Eq '^ExecStart=/usr/bin/pcbridge --config /etc/pcbridge/pcbridge.yaml$' "$unit" || fail "unit ExecStart"
! grep -E '^Exec[A-Za-z]*=' "$unit" | grep -q /usr/local || fail "the unit runs something under /usr/local"
grep -Eq '^LoadCredential=.*/etc/pcbridge/secrets' "$unit" || fail "unit does not load /etc/pcbridge/secrets"
# systemd's own check of the unit, in the extracted tree plus this host's units (sysinit.target
# and friends); it prints a line for each unknown key, bad value or missing executable.
if command -v systemd-analyze >/dev/null && [ -d /lib/systemd/system ]; then
  cp -a "$scratch/root" "$scratch/verify"
  cp -an /lib/systemd/system/. "$scratch/verify/lib/systemd/system/"
  verify=$(systemd-analyze verify --man=no --root="$scratch/verify" pcbridge.service 2>&1) || fail "systemd-analyze verify: $verify"
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  echo "package-test: systemd-analyze verify: the unit is clean"
else
  echo "package-test: systemd-analyze not installed: unit checked by grep only"
fi
cmp -s "$scratch/root/etc/pcbridge/pcbridge.yaml" deploy/config/systemd.yaml || fail "pcbridge.yaml is not deploy/config/systemd.yaml"

# 5. Man page: gzip -9n (no name, no time stamp), renders without warnings, covers --help.
man="$scratch/root/usr/share/man/man1/pcbridge.1.gz"
# gzip header bytes 3..7: flags (FNAME would be 08) and the mtime, all zero with -n.
[ "$(od -An -tx1 -j3 -N5 "$man" | tr -d ' \n')" = 0000000000 ] || fail "man page gzip header carries a name or time (not gzip -n)"
gzip -dc "$man" > "$scratch/pcbridge.1"
grep -Eq "^\.TH PCBRIDGE 1 \"[0-9-]+\" \"pcbridge ${version//./\\.}\"" "$scratch/pcbridge.1" || fail "man .TH line"
for section in NAME SYNOPSIS OPTIONS '"EXIT STATUS"' FILES; do
  grep -qx "\.SH $section" "$scratch/pcbridge.1" || fail "man page has no $section section"
done
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$scratch/pcbridge.1" 2>&1)
  [ -z "$warnings" ] || fail "groff warnings: $warnings"
  text=$(groff -man -Tutf8 -P-cbou "$scratch/pcbridge.1" 2>/dev/null)
else
  text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIR]//g' "$scratch/pcbridge.1")
fi
help=$("$bin" --help)
plain() { sed -e 's/\\f[BIR]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/  */ /g' -e 's/^ //'; }
# SYNOPSIS is the Usage block line for line; each option entry of --help is an entry of the page
# (with its repeats: --config is in three sections), nothing more, nothing less.
diff <(sed -n '/^Usage:$/,/^$/p' <<<"$help" | sed '1d;$d' | plain) \
     <(sed -n '/^\.SH SYNOPSIS$/,/^\.fi$/p' "$scratch/pcbridge.1" | sed '1,2d;$d' | plain) \
  || fail "man SYNOPSIS differs from the Usage of --help (< help, > man)"
diff <(grep -E '^  -' <<<"$help" | sed 's/^  \(-[^ ]*\( [^ -][^ ]*\)*\)  .*/\1/;s/^  \(-[^ ]*, -[^ ]*\)  .*/\1/' | plain) \
     <(sed -n '/^\.SH OPTIONS$/,/^\.SH "EXIT STATUS"$/p' "$scratch/pcbridge.1" | grep -A1 -x '\.TP' | grep -E '^\\fB\\-' | plain) \
  || fail "man OPTIONS entries differ from the options of --help (< help, > man)"
subcommands=$(sed -n 's/^  pcbridge \([a-z][a-z-]*\).*/\1/p' <<<"$help" | sort -u)
options=$(grep -oE -- '(^|[ [,])--?[a-z][a-z-]*' <<<"$help" | sed 's/^[ [,]//' | sort -u)
[ -n "$subcommands" ] && [ "$(wc -l <<<"$options")" -ge 10 ] || fail "could not read --help"
for word in $subcommands; do
  grep -Eq "pcbridge $word " <<<"$text" || fail "man page lacks the subcommand '$word'"
done
for opt in $options; do
  grep -Eq -- "(^|[^a-z-])${opt}([^a-z-]|$)" <<<"$text" || fail "man page lacks the option $opt"
done
for status in 0 1 2 3; do
  grep -A1 -x "\.TP" "$scratch/pcbridge.1" | grep -qx "$status" || fail "man page lacks exit status $status"
done

# 6. dpkg's life cycle in a scratch root (--root: its own status database; maintainer scripts
# run without chroot and do nothing there, no systemd): install registers the one conffile,
# remove keeps an edited config, purge leaves nothing. This machine's dpkg database is untouched.
droot="$scratch/dpkg-root"
mkdir -p "$droot/var/lib/dpkg/info" "$droot/var/lib/dpkg/updates" && : > "$droot/var/lib/dpkg/status"
run_dpkg() { dpkg --root="$droot" --force-not-root --force-script-chrootless --log=/dev/null "$@" >"$scratch/dpkg.log" 2>&1 \
  || { cat "$scratch/dpkg.log"; fail "dpkg $*"; }; }
run_dpkg --force-depends -i "$deb"   # the libraries are this machine's, not the scratch root's
[ "$(dpkg-query --admindir="$droot/var/lib/dpkg" -W -f='${Status} ${Version}' pcbridge)" = "install ok installed $version" ] \
  || fail "dpkg -i did not leave pcbridge installed"
[ "$(dpkg-query --admindir="$droot/var/lib/dpkg" -W -f='${Conffiles}' pcbridge | awk 'NF {print $1}')" = /etc/pcbridge/pcbridge.yaml ] \
  || fail "dpkg did not register /etc/pcbridge/pcbridge.yaml as the conffile"
echo "# edited by the operator" >> "$droot/etc/pcbridge/pcbridge.yaml"
run_dpkg -r pcbridge
[ "$(cd "$droot" && find etc usr lib -type f 2>/dev/null)" = etc/pcbridge/pcbridge.yaml ] || fail "dpkg -r left other files or lost the config"
run_dpkg -P pcbridge
[ -z "$(cd "$droot" && find etc usr lib 2>/dev/null)" ] || fail "dpkg -P left: $(cd "$droot" && find etc usr lib)"
echo "package-test: dpkg -i / -r / -P in a scratch root: conffile registered, kept on remove, gone on purge"

echo "package-test: $(wc -l <<<"$subcommands") subcommands ($(echo $subcommands)) and $(wc -l <<<"$options") options of --help are in the man page"
step "checks" "$t"
echo "package-test: OK $deb ($(( $(stat -c %s "$deb") / 1024 )) KiB); total $(( $(date +%s) - started ))s"
