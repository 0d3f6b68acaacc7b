#!/usr/bin/env node
// The `bevatel-local-server` command: the built CLI (a file that exists before the build, so installs link it quietly).
import "../dist/bin.js"
