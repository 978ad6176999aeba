// The spec reporter, plus the totals written to $JOB_QUEUE_TEST_RESULT for `npm test`'s summary.
const fs = require('node:fs');
const Mocha = require('mocha');

class UnitReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.JOB_QUEUE_TEST_RESULT;
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      if (file) fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
    });
  }
}

module.exports = UnitReporter;
