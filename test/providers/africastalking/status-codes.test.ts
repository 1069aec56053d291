import { classifyHttpStatus, classifyNetworkError } from '../../../src/providers/africastalking/call-errors';
import { classifyRecipientStatus, parseCost } from '../../../src/providers/africastalking/status-codes';

describe('classifyRecipientStatus', () => {
  it.each([
    [100, 'Success', { result: 'accepted' }],
    [101, 'Success', { result: 'accepted' }],
    [102, 'Success', { result: 'accepted' }],
    [401, 'RiskHold', { result: 'failed_permanent', reason: 'RiskHold' }],
    [402, 'InvalidSenderId', { result: 'failed_permanent', reason: 'InvalidSenderId' }],
    [403, 'InvalidPhoneNumber', { result: 'failed_permanent', reason: 'InvalidPhoneNumber' }],
    [404, 'UnsupportedNumberType', { result: 'failed_permanent', reason: 'UnsupportedNumberType' }],
    [405, 'InsufficientBalance', { result: 'failed_permanent', reason: 'InsufficientBalance' }],
    [406, 'UserInBlacklist', { result: 'failed_permanent', reason: 'UserInBlacklist', blacklisted: true }],
    [407, 'CouldNotRoute', { result: 'failed_permanent', reason: 'CouldNotRoute' }],
    [409, 'DoNotDisturbRejection', { result: 'failed_permanent', reason: 'DoNotDisturbRejection' }],
    [500, 'InternalServerError', { result: 'failed_retryable', reason: 'InternalServerError' }],
    [501, 'GatewayError', { result: 'failed_retryable', reason: 'GatewayError' }],
    [502, 'RejectedByGateway', { result: 'failed_retryable', reason: 'RejectedByGateway' }],
    [408, 'SomethingNew', { result: 'failed_permanent', reason: 'SomethingNew' }],
    [503, '', { result: 'failed_retryable', reason: 'StatusCode503' }],
    [103, 'Success', { result: 'uncertain', reason: 'UnknownStatusCode103' }],
  ])('%i %s', (code, status, verdict) => {
    expect(classifyRecipientStatus(code, status)).toEqual(verdict);
  });
});

describe('parseCost', () => {
  it.each([
    ['TZS 22.0000', { currency: 'TZS', amount: 22 }],
    ['TZS 44.0000', { currency: 'TZS', amount: 44 }],
    ['KES 0.8000', { currency: 'KES', amount: 0.8 }],
    ['USD 0.0079', { currency: 'USD', amount: 0.0079 }],
    ['0', undefined],
    ['', undefined],
    [undefined, undefined],
    ['TZS abc', undefined],
  ])('%p', (cost, parsed) => {
    expect(parseCost(cost)).toEqual(parsed);
  });
});

describe('classifyHttpStatus / classifyNetworkError', () => {
  it.each([
    [401, { kind: 'rejected', reason: 'Unauthorized (HTTP 401)', retryable: false }],
    [400, { kind: 'rejected', reason: 'HTTP 400', retryable: false }],
    [429, { kind: 'rejected', reason: 'HTTP 429', retryable: true }],
    [502, { kind: 'rejected', reason: 'HTTP 502', retryable: true }],
    [504, { kind: 'uncertain', reason: 'HTTP 504' }],
  ])('HTTP %i', (status, failure) => {
    expect(classifyHttpStatus(status)).toEqual(failure);
  });

  it('separates "never sent" network errors from mid-call ones', () => {
    expect(classifyNetworkError('ENOTFOUND')).toEqual({ kind: 'rejected', reason: 'NetworkError ENOTFOUND', retryable: true });
    expect(classifyNetworkError('ECONNREFUSED')).toEqual({ kind: 'rejected', reason: 'NetworkError ECONNREFUSED', retryable: true });
    expect(classifyNetworkError('ETIMEDOUT')).toEqual({ kind: 'uncertain', reason: 'NetworkError ETIMEDOUT' });
    expect(classifyNetworkError('ECONNRESET')).toEqual({ kind: 'uncertain', reason: 'NetworkError ECONNRESET' });
  });
});
