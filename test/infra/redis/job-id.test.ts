import { jobId } from '../../../src/infra/redis/job-id';

describe('jobId', () => {
  it('joins parts deterministically and never contains a colon (BullMQ refuses it)', () => {
    expect(jobId('digest', 'egov2015', '2015-08-17', '07:00')).toBe('digest|egov2015|2015-08-17|07_00');
    expect(jobId('in', 'ATXid:abc', 12)).toBe('in|ATXid_abc|12');
    expect(jobId('rem', 'p', 'S101', 'ref', 1)).toBe(jobId('rem', 'p', 'S101', 'ref', 1));
  });
});
