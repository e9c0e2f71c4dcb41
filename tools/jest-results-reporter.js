// Writes each Jest run's totals to tmp/test-results/<project>.json, so infra/test.sh can print one summary line.
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
  constructor(globalConfig) {
    this.project = path.relative(path.join(__dirname, '..'), globalConfig.rootDir).replace(/[\\/]/g, '_') || 'root';
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', 'tmp', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${this.project}.json`), JSON.stringify(summary));
  }
}

module.exports = ResultsReporter;
