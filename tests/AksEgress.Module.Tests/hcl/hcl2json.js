// Usage: node hcl2json.js <file.tf>  -> the file as JSON, parsed by HashiCorp's HCL parser; exit 1 on a syntax error.
const { parse } = require('@cdktf/hcl2json');
const fs = require('fs');
const file = process.argv[2];
parse(file, fs.readFileSync(file, 'utf8'))
  .then(json => process.stdout.write(JSON.stringify(json)))
  .catch(error => { process.stderr.write(String(error)); process.exit(1); });
