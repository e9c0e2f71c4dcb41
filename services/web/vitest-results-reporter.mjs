// Writes the Vitest run's totals, and the names of what failed, to tmp/test-results/services_web.json, beside Jest's
// (tools/jest-results-reporter.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const workspace = fileURLToPath(new URL('../..', import.meta.url));

export default class ResultsReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const totals = { passed: 0, failed: unhandledErrors.length, skipped: 0, failures: unhandledErrors.map((e) => `unhandled: ${e.message}`) };
    for (const module of testModules) {
      const where = path.relative(workspace, module.moduleId);
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) {
        totals.failed += 1;
        totals.failures.push(`${where}: ${module.errors()[0]?.message ?? 'failed to load'}`);
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') totals.passed += 1;
        else if (result.state === 'failed') {
          totals.failed += 1;
          totals.failures.push(`${where} › ${test.fullName}: ${result.errors[0]?.message.split('\n')[0] ?? ''}`);
        } else totals.skipped += 1;
      }
    }
    const dir = path.join(workspace, 'tmp/test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/services_web.json`, JSON.stringify(totals));
  }
}
