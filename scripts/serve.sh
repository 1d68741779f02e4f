#!/usr/bin/env bash
# Builds the playground and serves it at http://127.0.0.1:8080/, rebuilding on change.
# Installs what is missing first (scripts/setup.sh serve). Extra arguments go to
# `trunk serve`, for example: scripts/serve.sh --port 9000 --open
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" serve

export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"
# Trunk must not reach out for a newer trunk or for tools: Trunk.toml pins them.
export TRUNK_SKIP_VERSION_CHECK=true
cd "$root"
exec trunk serve "$@"
