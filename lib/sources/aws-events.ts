/**
 * The AWS alert sources this service takes from the account's default bus
 * (SPEC §2 "Alert sources"): the stack's rule and the local bus route exactly
 * these, and lib/sources/aws.ts turns each into signals.
 */
export const AWS_ALERT_EVENTS = [
  { source: 'aws.cloudwatch', detailType: 'CloudWatch Alarm State Change' },
  { source: 'aws.guardduty', detailType: 'GuardDuty Finding' },
  { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported' },
] as const;
