// Prints one closing line for the whole test run, "tests: N passed, N failed", from the JSON result files
// jest wrote (`--json --outputFile=.test-results/<suite>.json`). Exits 1 if any test failed.
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', '.test-results');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
let passed = 0;
let failed = 0;

for (const f of files) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));

  passed += r.numPassedTests;
  failed += r.numFailedTests;
  process.stdout.write(`${ path.basename(f, '.json') }: ${ r.numPassedTests } passed, ${ r.numFailedTests } failed\n`);
}
if (!files.length) {
  process.stdout.write('tests: no results found in .test-results/\n');
  process.exit(1);
}
process.stdout.write(`tests: ${ passed } passed, ${ failed } failed\n`);
process.exit(failed ? 1 : 0);
