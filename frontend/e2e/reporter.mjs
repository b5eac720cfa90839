// Prints "ok - …" or "not ok - …" for each test and, last, "N passed, N failed" alone on a line,
// which CI counts (a skipped or interrupted test counts as failed: every test must run).
export default class CountingReporter {
  passed = 0;
  failed = 0;

  onTestEnd(test, result) {
    const seconds = (result.duration / 1000).toFixed(1);
    if (result.status === 'passed') {
      this.passed += 1;
      console.log(`ok - ${test.title} (${seconds} s)`);
    } else {
      this.failed += 1;
      console.log(`not ok - ${test.title} (${result.status})`);
    }
  }

  onEnd() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
  }

  printsToStdio() {
    return true;
  }
}
