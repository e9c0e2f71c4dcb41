// Writes the Vitest run's totals to tmp/test-results/services_web.json, beside Jest's (tools/jest-results-reporter.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default class ResultsReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const totals = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) totals.failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') totals.passed += 1;
        else if (state === 'failed') totals.failed += 1;
        else totals.skipped += 1;
      }
    }
    const dir = fileURLToPath(new URL('../../tmp/test-results', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/services_web.json`, JSON.stringify(totals));
  }
}
