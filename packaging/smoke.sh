#!/usr/bin/env bash
# Tests the Dockerfile's runtime recipe where no container engine can build it (as on this
# project's CI machines, which reach no image registry): the packages its runtime stage installs
# are installed here, and the binary, run by an unprivileged user with a bare environment and
# only those tools, audits the built-in reference ENT to the end and writes its report.
#
#   bash packaging/smoke.sh target/debug/sdet-audit
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${1:?usage: packaging/smoke.sh PATH/TO/sdet-audit}"
die() { echo "smoke: $*" >&2; exit 1; }

# The runtime stage's `apt-get install` line is the recipe.
packages="$(sed -n '/^FROM debian/,$p' Dockerfile | sed -n 's/.*apt-get install -y --no-install-recommends \([^\\]*\).*/\1/p')"
[ -n "$packages" ] || die "no apt-get install line in the Dockerfile's runtime stage"
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || die "the runtime stage installs $p, which is not installed here"
done
grep -q '^USER sdet$' Dockerfile || die "the image must run as the unprivileged user sdet"
grep -q '^ENTRYPOINT \["sdet-audit"\]$' Dockerfile || die "the image's entrypoint must be sdet-audit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
install -m 0755 "$BIN" "$work/sdet-audit"
chmod 0777 "$work"
user=nobody
id "$user" >/dev/null 2>&1 || die "no user $user to run as"
set +e
runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$work" TMPDIR="$work" \
  "$work/sdet-audit" demo --format json --output "$work/rapport.json"
code=$?
set -e
[ "$code" = 0 ] || die "demo as $user exited $code"
grep -q '"outcome": "conforme"' "$work/rapport.json" || die "the report does not say conforme"
echo "smoke: the Dockerfile's runtime recipe ($packages) runs the demo as $user: conforme"
