// Suites that start service processes run on a shared 2-core machine where a start-up can be
// slow enough to miss a deadline once. scripts/test.mjs gives those suites (and only those) one
// retry; the first failure is still printed, so a real bug shows up as a repeated failure.
const retries = Number(process.env.TICKSTREAM_TEST_RETRIES ?? 0);
if (retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
