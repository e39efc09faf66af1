#!/usr/bin/env bash
# install_and_consume.sh CMAKE BUILD_DIR CONSUMER_SOURCE WORK_DIR CC PKG_CONFIG
#
# 1. cmake --install BUILD_DIR into WORK_DIR/prefix (a fresh prefix, never the system's);
# 2. configures, builds and runs CONSUMER_SOURCE against it through find_package
#    (CMAKE_PREFIX_PATH), expecting the library version, the destination's name, and a dry run
#    through the C++ API;
# 3. compiles, links and runs a one-line C program against plugin.h with the flags
#    `pkg-config --cflags --libs actions_singlestore` gives for that prefix.
# Fails with a message naming the step.
set -euo pipefail

cmake=$1 build=$2 consumer_src=$3 work=$4 cc=$5 pkg_config=${6:-}

fail() { echo "packaging: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install failed"; }

# The installed tree: public headers (with the generated version.h), the versioned library and
# its links, the CLI, the default mappings, the CMake package and the pkg-config file.
libdir=$(dirname "$(find "$prefix" -name 'libactions_singlestore.so' | head -n1)")
[[ -n $libdir && $libdir != . ]] || fail "libactions_singlestore.so not installed"
for f in include/actions/plugin.h include/actions/version.h bin/actions-singlestore \
         share/actions-singlestore/mappings/send_data.json; do
  [[ -e $prefix/$f ]] || fail "$f not installed"
done
[[ ! -e $prefix/include/actions/version.h.in ]] || fail "version.h.in installed"
ls "$libdir"/libactions_singlestore.so.[0-9]* >/dev/null 2>&1 || fail "no versioned library in $libdir"
[[ -f $libdir/cmake/actions_singlestore/actions_singlestoreConfig.cmake ]] ||
  fail "CMake package config not installed"
[[ -f $libdir/pkgconfig/actions_singlestore.pc ]] || fail "actions_singlestore.pc not installed"

# The installed CLI finds the installed library (no build tree on its path).
version=$(LD_LIBRARY_PATH=$libdir "$prefix/bin/actions-singlestore" --version) ||
  fail "installed actions-singlestore --version failed"
[[ $version == "actions-singlestore "* ]] || fail "unexpected --version output: $version"
expected_version=${version#actions-singlestore }

# find_package from an out-of-tree project.
"$cmake" -S "$consumer_src" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
  >"$work/consumer-configure.log" 2>&1 ||
  { cat "$work/consumer-configure.log" >&2; fail "configuring examples/consumer failed"; }
"$cmake" --build "$work/consumer" >"$work/consumer-build.log" 2>&1 ||
  { cat "$work/consumer-build.log" >&2; fail "building examples/consumer failed"; }
output=$(LD_LIBRARY_PATH=$libdir "$work/consumer/consumer") || fail "consumer failed: $output"
echo "$output"
grep -qx "compiled against $expected_version, running $expected_version" <<<"$output" ||
  fail "consumer did not report version $expected_version"
grep -qx "destination: SingleStore" <<<"$output" || fail "consumer did not print the destination's name"
# The C++ API through the installed headers: identify is valid, a track without its event is not.
grep -qx "dry run: validated, rejected" <<<"$output" || fail "consumer's dry run gave other outcomes"
grep -q '"password":"\*\*\*\*\*\*\*\*"' <<<"$output" || fail "consumer's settings do not mask the password"

# The live-destination host (examples/live_host), a C++17 project, builds against the installed
# package: the public headers need nothing newer and no private header.
"$cmake" -S "$consumer_src/../live_host" -B "$work/live_host" -DCMAKE_PREFIX_PATH="$prefix" \
  >"$work/live-host-configure.log" 2>&1 ||
  { cat "$work/live-host-configure.log" >&2; fail "configuring examples/live_host failed"; }
"$cmake" --build "$work/live_host" >"$work/live-host-build.log" 2>&1 ||
  { cat "$work/live-host-build.log" >&2; fail "building examples/live_host (C++17) failed"; }

# pkg-config: the flags alone must be enough to compile and link against plugin.h.
[[ -n $pkg_config ]] || fail "pkg-config not found (Debian package 'pkgconf')"
flags=$(PKG_CONFIG_PATH=$libdir/pkgconfig "$pkg_config" --cflags --libs actions_singlestore) ||
  fail "pkg-config does not know actions_singlestore"
echo "pkg-config: $flags"
cat >"$work/abi.c" <<'C'
#include <actions/plugin.h>
int main(void) { return actions_plugin_entry(ACTIONS_PLUGIN_ABI_VERSION) ? 0 : 1; }
C
# shellcheck disable=SC2086  # the flags are a word list
"$cc" "$work/abi.c" -o "$work/abi" $flags 2>"$work/abi.log" ||
  { cat "$work/abi.log" >&2; fail "a C program does not compile with the pkg-config flags"; }
LD_LIBRARY_PATH=$libdir "$work/abi" || fail "the pkg-config-linked program got no plugin table"
echo "packaging: ok"
