// Writes each Jest run's totals, and the names of what failed, to tmp/test-results/<project>.json, so infra/test.sh
// can end with the failures and one summary line (CI shows only the end of the output).
const fs = require('node:fs');
const path = require('node:path');

const WORKSPACE = path.join(__dirname, '..');
/** the message's first lines without colours or stack frames, e.g. "Error: expect(…).toBe(…) / Expected: 2 / Received: 1" */
const firstLine = (text) => (text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('at ')).slice(0, 3).join(' / ');

class ResultsReporter {
  constructor(globalConfig) {
    this.project = path.relative(WORKSPACE, globalConfig.rootDir).replace(/[\\/]/g, '_') || 'root';
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(WORKSPACE, 'tmp', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const failures = [];
    for (const file of results.testResults) {
      const where = path.relative(WORKSPACE, file.testFilePath);
      if (file.testExecError) failures.push(`${where}: ${firstLine(file.testExecError.message)}`);
      for (const test of file.testResults) {
        if (test.status === 'failed') failures.push(`${where} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
      }
    }
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      failures,
    };
    fs.writeFileSync(path.join(dir, `${this.project}.json`), JSON.stringify(summary));
  }
}

module.exports = ResultsReporter;
