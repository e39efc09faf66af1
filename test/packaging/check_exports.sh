#!/usr/bin/env bash
# check_exports.sh NM CXXFILT LIBRARY ALLOW_LIST
#
# The exported (dynamic, defined) symbols of LIBRARY, demangled, must each match a pattern of
# ALLOW_LIST (extended regular expressions, whole-symbol matches; '#' lines are comments), and
# the public API's landmarks must be there: a build that leaks internals, or that hides the API,
# fails. Prints the symbols that break the rule.
set -euo pipefail

nm=$1 cxxfilt=$2 library=$3 allow=$4

fail() { echo "exports: $*" >&2; exit 1; }

[[ -f $library ]] || fail "no library at $library"
patterns=$(grep -v -e '^#' -e '^[[:space:]]*$' "$allow")
# One anchored alternation: ^(p1)$|^(p2)$|...
regex=$(sed 's/.*/^(&)$/' <<<"$patterns" | paste -sd'|')

# "ADDRESS TYPE NAME[@VERSION]" -> NAME, demangled.
# libstdc++'s [abi:cxx11] tag (on functions returning std::string) is left out of the match.
symbols=$("$nm" -D --defined-only "$library" | awk '{ print $3 }' | sed 's/@.*//' | "$cxxfilt" |
  sed 's/\[abi:cxx11\]//g' | sort -u)
count=$(wc -l <<<"$symbols")
echo "exports: $count symbols"

# Within an allowed name, still nothing private: closures, the pimpl types, internal modules.
private='\{lambda|\{unnamed|::Impl(::|\b)|actions::(json|io|db|liquid|singlestore|subscription)::'
leaks=$( (grep -Ev "$regex" <<<"$symbols" || true; grep -E "$private" <<<"$symbols" || true) | sort -u)
if [[ -n $leaks ]]; then
  echo "exports: symbols outside the public API (see $allow):" >&2
  sed 's/^/  /' <<<"$leaks" >&2
  exit 1
fi

# The API is really there (a broken export macro would leave the list empty and "clean").
for landmark in 'actions_plugin_entry' 'actions::libraryVersion()' 'actions::describe()' \
                'actions::Sender::finish()' 'actions::Subscription::parse(' \
                'actions::EventReader::next(' 'actions::mapping::Mapping::fromJson(' \
                'typeinfo for actions::InvalidSubscription'; do
  grep -qF -- "$landmark" <<<"$symbols" || fail "$landmark is not exported"
done
echo "exports: ok"
