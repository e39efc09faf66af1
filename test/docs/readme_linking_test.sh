#!/usr/bin/env bash
# readme_linking_test.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR
#
# README.md's "Linking the library", followed as written against a fresh `cmake --install`
# prefix, with examples/consumer/ as the program:
# 1. the CMake way (find_package): the program built in its build tree runs without help;
# 2. the pkg-config block, taken from the README at test time with PREFIX and app.cpp replaced:
#    the program runs (the run path finds the library);
# 3. the same lines without the -rpath part: the program cannot find the library (why the README
#    asks for it), and runs with the LD_LIBRARY_PATH the README gives.
# Fails naming the step.
set -euo pipefail

cmake=$1 build=$2 src=$3 work=$4
fail() { echo "readme linking: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install failed"; }
unset LD_LIBRARY_PATH PKG_CONFIG_PATH

# What the consumer prints when the library answered as expected.
expect_consumer() {
  grep -qx "destination: SingleStore" <<<"$1" && grep -qx "dry run: validated, rejected" <<<"$1"
}

# 1. find_package.
"$cmake" -S "$src/examples/consumer" -B "$work/cmake-app" -DCMAKE_PREFIX_PATH="$prefix" \
  >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; fail "configuring examples/consumer failed"; }
"$cmake" --build "$work/cmake-app" >>"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; fail "building examples/consumer failed"; }
out=$("$work/cmake-app/consumer" 2>&1) || fail "the CMake-built program does not run as built: $out"
expect_consumer "$out" || fail "the CMake-built program printed: $out"

# 2. The README's pkg-config block: the sh block that calls pkg-config.
block=$(awk '/^```sh$/ { inblock = 1; text = ""; next }
             /^```$/ && inblock { inblock = 0; if (text ~ /pkg-config/) { printf "%s", text; exit } next }
             inblock { text = text $0 "\n" }' "$src/README.md")
[[ -n $block ]] || fail "README.md has no sh block with pkg-config"
grep -q -- '-rpath' <<<"$block" || fail "README.md's pkg-config block no longer sets a run path"
app=$work/pkg-config-app
mkdir -p "$app"
cp "$src/examples/consumer/consumer.cpp" "$app/app.cpp"
printf '%s' "${block//PREFIX/$prefix}" >"$app/steps.sh"
out=$(cd "$app" && bash -e steps.sh 2>&1) || fail "README.md's pkg-config lines failed: $out"
expect_consumer "$out" || fail "the pkg-config-built program printed: $out"

# 3. Without the run path the library is not found; LD_LIBRARY_PATH as the README says helps.
no_rpath=$(sed -e 's/ \\$//' "$app/steps.sh" | sed -e '/-Wl,-rpath/d' -e '/^\.\/app$/d')
grep -q 'c++ ' <<<"$no_rpath" || fail "cannot take the run path out of the README's lines"
(cd "$app" && rm -f app && bash -e -c "$no_rpath") >"$work/norpath.log" 2>&1 ||
  { cat "$work/norpath.log" >&2; fail "linking without the run path failed"; }
if out=$(cd "$app" && ./app 2>&1); then fail "without a run path the program found the library anyway"; fi
grep -q "cannot open shared object file" <<<"$out" || fail "without a run path: $out"
libdir=$(PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name actions_singlestore.pc)") \
  pkg-config --variable=libdir actions_singlestore)
out=$(cd "$app" && LD_LIBRARY_PATH=$libdir ./app 2>&1) || fail "with LD_LIBRARY_PATH: $out"
expect_consumer "$out" || fail "with LD_LIBRARY_PATH the program printed: $out"
echo "readme linking: ok"
