#!/usr/bin/env node
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bin is plain CommonJS by design
const { main } = require('../dist/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
