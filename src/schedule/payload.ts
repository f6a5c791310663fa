// What EventBridge sends a Lambda target when a scheduled rule fires: the "Scheduled Event", or
// the target's constant `Input` in its place.
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../types/arn.js';

/** The ARN of a scheduled rule. */
export function ruleArn(region: string, ruleName: string): string {
  return `arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${ruleName}`;
}

/** The event payload (JSON text) for one firing at `time`. */
export function scheduledEventJson(options: { region: string; ruleName: string; time: Date; input?: unknown }): string {
  if (options.input !== undefined) {
    // A constant Input replaces the whole event. A string that is JSON text goes as it is; any
    // other value (the config loader has usually parsed it already) is sent as its JSON.
    if (typeof options.input === 'string' && isJsonText(options.input)) return options.input;
    return JSON.stringify(options.input);
  }
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    // EventBridge writes whole seconds: 2019-03-01T01:23:45Z.
    time: options.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region,
    resources: [ruleArn(options.region, options.ruleName)],
    detail: {},
  });
}

/**
 * The rule name Serverless gives a schedule without `name`: CloudFormation names it
 * `STACK-LogicalId-RANDOM`; coldstart drops the random suffix so names are stable.
 */
export function defaultRuleName(service: string, stage: string, functionName: string, index: number): string {
  const normalized = (functionName.charAt(0).toUpperCase() + functionName.slice(1)).replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${service}-${stage}-${normalized}EventsRuleSchedule${index}`.slice(0, 64);
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
