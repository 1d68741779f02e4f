#!/usr/bin/env bash
# Installs what the playground needs and is missing, and only that.
#   scripts/setup.sh serve   wasm32 target, trunk, wasm-bindgen-cli
#   scripts/setup.sh test    the above, plus wasm-opt (binaryen from npm), Chromium, and
#                            the browser tests' npm packages (playwright-core, axe-core)
# Every tool is pinned; a tool whose pinned version is already present is not
# installed again. Nothing is downloaded except packages from the registries
# (crates.io, Debian, npm).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-serve}

# Pinned versions. wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock.
trunk_version=0.21.14
wasm_bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')
binaryen_version=132.0.0

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $trunk_version" ]; then
  say "installing trunk $trunk_version (about 7 minutes, once)"
  cargo install --locked trunk --version "=$trunk_version"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # --locked fails to build for this version; the unlocked install works.
  cargo install wasm-bindgen-cli --version "=$wasm_bindgen_version"
fi

# Trunk runs cargo offline (Trunk.toml), so the crates must be here first. A no-op
# when they are.
say "fetching crates (crates.io) if any are missing"
(cd "$root" && cargo fetch --quiet)

if [ "$mode" = test ]; then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "Node.js 20 or later and npm are needed for wasm-opt and the browser test; install them first"
    exit 1
  fi
  if [ "$("$root/.tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${binaryen_version%%.*}" ]; then
    say "installing wasm-opt from the npm package binaryen@$binaryen_version"
    mkdir -p "$root/.tools"
    (cd "$root/.tools" && npm install --no-audit --no-fund --silent --prefix . "binaryen@$binaryen_version")
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # The browser tests' npm packages, at the versions tests/browser/package-lock.json
  # pins (playwright-core drives Chromium, axe-core audits accessibility): npm ci when
  # one is missing or at another version.
  if ! (cd "$root/tests/browser" && node -e '
    const lock = require("./package-lock.json");
    for (const [dir, p] of Object.entries(lock.packages)) {
      if (dir && require("./" + dir + "/package.json").version !== p.version) process.exit(1);
    }' 2>/dev/null); then
    say "installing the browser tests' npm packages (npm ci in tests/browser)"
    (cd "$root/tests/browser" && npm ci --no-audit --no-fund)
  fi
fi
