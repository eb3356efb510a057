#!/usr/bin/env node
// The `ringdht` command. A file in the source tree, so `pnpm install` links it on a fresh
// clone before anything is built; the CLI itself is compiled to dist/ by `pnpm build`.
import '../dist/src/bin.js'
