#!/usr/bin/env bash
# Builds the light embed (embed.html, Trunk.embed.toml) into the full page's staging
# folder as embed/, so that one `trunk build` or `trunk serve` builds both pages
# (issue 16). Trunk.toml runs it as a post_build hook, with TRUNK_STAGING_DIR and
# TRUNK_PROFILE set; by hand: TRUNK_STAGING_DIR=dist TRUNK_PROFILE=release scripts/build-embed.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml hooks), or set TRUNK_STAGING_DIR}"
release=()
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  release=(--release)
fi
# The embed's own cargo profile, "embed" (embed.html asks for it): the page's "web"
# profile at opt-level "z", about a tenth smaller again and slower, which an embed that
# runs one scenario can afford. Defined here, as cargo configuration, so that it has
# its own target/ folder and the page's build keeps its cache.
export CARGO_PROFILE_EMBED_INHERITS=web CARGO_PROFILE_EMBED_OPT_LEVEL=z
# The outer build's TRUNK_* variables are not this build's settings.
env -u TRUNK_CONFIG -u TRUNK_BUILD_DIST -u TRUNK_BUILD_TARGET -u TRUNK_BUILD_PUBLIC_URL \
  trunk --config Trunk.embed.toml build "${release[@]}" --dist "$TRUNK_STAGING_DIR/embed"
# wasm-bindgen's import names, each with a 16-digit hash in the JS and again in the
# wasm, made short in both (and index.html's SRI hashes written again): 3.7 KB
# less gzipped (docs/bundle-size.md).
node scripts/short-imports.mjs "$TRUNK_STAGING_DIR/embed"
