/**
 * Per test file: nock active with the network closed except loopback. The explicit activate/restore
 * pair works around nock 14 + jest 30 losing its interceptor between files in one worker.
 */
import nock from 'nock';

beforeAll(() => {
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
