/**
 * Replays an audit log (JSON lines of audit.k8s.io Events) through a policy: per rule, how many events it
 * would keep and about how many bytes they would take, next to the log as it was.
 */
import { attributesFromEvent, AuditEventLike, Evaluator, newEvaluator } from './evaluate';
import { rfc3339Error } from './go-time';
import { compareLevels, Level, Policy } from './types';

export interface RuleVolume {
  /** Rule index, or null for requests no rule matches (level None: nothing kept). */
  rule: number | null;
  level: Level;
  /** Input events this rule matched. */
  matched: number;
  /** Events it keeps (matched less the stages it omits and level None). */
  events: number;
  /** Bytes of the kept events as JSON lines, at the rule's level. */
  bytes: number;
  /** Kept events whose level asks for a body the input event does not hold: their bodies are not counted. */
  bodiesMissing: number;
}

/**
 * The time the sample covers: its earliest and latest `requestReceivedTimestamp` (the order of the lines does not
 * matter). Events whose timestamp is missing or not RFC 3339 are counted in `untimed` and left out of the span.
 */
export interface SampleSpan {
  /** The earliest and latest timestamps as the log wrote them; null when no event had a readable one. */
  first: string | null;
  last: string | null;
  /** From first to last, in seconds (exact to the nanosecond the timestamps give); 0 for one instant or none. */
  seconds: number;
  /** Events with a readable requestReceivedTimestamp. */
  timed: number;
  /** Events without one (missing, not a string, or not a time Go's time.Parse(time.RFC3339) reads). */
  untimed: number;
}

export interface Estimate {
  rules: RuleVolume[];
  before: { events: number, bytes: number };
  after: { events: number, bytes: number };
  /** Lines that were not JSON audit events, with their 1-based line numbers (first 10). */
  skipped: number;
  skippedLines: number[];
  span: SampleSpan;
}

/** A point in time as whole seconds since the Unix epoch and the nanoseconds after them (exact, no float rounding). */
export interface EventTime { seconds: number, nanos: number }

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads an audit Event's `requestReceivedTimestamp` (metav1.MicroTime, written by kube-apiserver as RFC 3339 with
 * microseconds): what Go's time.Parse(time.RFC3339, s) accepts (policy/go-time.ts), any number of fraction
 * digits, `Z` or an offset. Null for anything else.
 */
export function eventTime(value: unknown): EventTime | null {
  if (typeof value !== 'string' || rfc3339Error(value) !== undefined) {
    return null;
  }
  const m = RFC3339.exec(value);

  if (!m) {
    return null;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(0);

  // setUTCFullYear: Date.UTC would read the years 0-99 as 1900-1999
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60) : 0;

  return { seconds: date.getTime() / 1000 - offset, nanos: Number((m[7] || '').slice(0, 9).padEnd(9, '0')) };
}

function before(a: EventTime, b: EventTime): boolean {
  return a.seconds < b.seconds || (a.seconds === b.seconds && a.nanos < b.nanos);
}

/** UTF-8 byte length of a string, without Node's Buffer (this module also runs in the browser). */
export function utf8Length(s: string): number {
  let n = s.length;

  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);

    if (c >= 0xd800 && c <= 0xdbff) {
      n += 2;
      i++;
    } else if (c > 0x7ff) {
      n += 2;
    } else if (c > 0x7f) {
      n += 1;
    }
  }

  return n;
}

const BODY_FIELDS = ['requestObject', 'responseObject'] as const;

/** The event as kube-apiserver would write it at `level` (bodies cut to what the level keeps). */
export function eventAtLevel(event: AuditEventLike, level: Level): { json: string, bodiesMissing: boolean } {
  const out: Record<string, unknown> = { ...event, level };
  let missing = false;

  if (compareLevels(level, 'Request') < 0) {
    delete out.requestObject;
  } else if (!('requestObject' in event) && ['create', 'update', 'patch'].includes(event.verb || '')) {
    missing = true;
  }
  if (compareLevels(level, 'RequestResponse') < 0) {
    delete out.responseObject;
  } else if (!('responseObject' in event) && event.verb !== 'watch') {
    missing = true;
  }
  for (const key of BODY_FIELDS) {
    if (out[key] === undefined) {
      delete out[key];
    }
  }

  return { json: JSON.stringify(out), bodiesMissing: missing };
}

/** Accumulates an estimate line by line, so a large log can be streamed. */
export class Estimator {
  private evaluator: Evaluator;
  private perRule = new Map<number | null, RuleVolume>();
  private result: Estimate = {
    rules:        [],
    before:       { events: 0, bytes: 0 },
    after:        { events: 0, bytes: 0 },
    skipped:      0,
    skippedLines: [],
    span:         {
      first: null, last: null, seconds: 0, timed: 0, untimed: 0
    },
  };

  private lineNo = 0;
  private first: EventTime | null = null;
  private last: EventTime | null = null;

  constructor(private policy: Policy) {
    this.evaluator = newEvaluator(policy);
  }

  /** Feeds one line of the audit log. */
  addLine(line: string): void {
    this.lineNo++;
    if (!line.trim()) {
      return;
    }
    let event: AuditEventLike;

    try {
      event = JSON.parse(line);
    } catch {
      event = null as unknown as AuditEventLike;
    }
    if (!event || typeof event !== 'object' || Array.isArray(event) || typeof event.verb !== 'string') {
      this.result.skipped++;
      if (this.result.skippedLines.length < 10) {
        this.result.skippedLines.push(this.lineNo);
      }

      return;
    }
    this.addEvent(event, utf8Length(line) + 1);
  }

  /** Feeds one event; `bytes` is its size in the input log. */
  addEvent(event: AuditEventLike, bytes: number): void {
    const config = this.evaluator.evaluate(attributesFromEvent(event));
    let vol = this.perRule.get(config.rule);

    if (!vol) {
      vol = {
        rule: config.rule, level: config.level, matched: 0, events: 0, bytes: 0, bodiesMissing: 0
      };
      this.perRule.set(config.rule, vol);
    }
    this.result.before.events++;
    this.result.before.bytes += bytes;
    vol.matched++;
    this.addTime(event.requestReceivedTimestamp);
    if (config.level === 'None' || (event.stage && (config.omitStages as string[]).includes(event.stage))) {
      return;
    }
    const { json, bodiesMissing } = eventAtLevel(event, config.level);
    const size = utf8Length(json) + 1;

    vol.events++;
    vol.bytes += size;
    vol.bodiesMissing += bodiesMissing ? 1 : 0;
    this.result.after.events++;
    this.result.after.bytes += size;
  }

  private addTime(value: unknown): void {
    const time = eventTime(value);
    const span = this.result.span;

    if (!time) {
      span.untimed++;

      return;
    }
    span.timed++;
    if (!this.first || before(time, this.first)) {
      this.first = time;
      span.first = value as string;
    }
    if (!this.last || before(this.last, time)) {
      this.last = time;
      span.last = value as string;
    }
  }

  /** The estimate so far, rules in policy order and unmatched requests last. */
  finish(): Estimate {
    const rules = [...this.perRule.values()].sort((a, b) => (a.rule ?? Infinity) - (b.rule ?? Infinity));
    const { first, last } = this;
    const seconds = first && last ? (last.seconds - first.seconds) + (last.nanos - first.nanos) / 1e9 : 0;

    return {
      ...this.result, rules, span: { ...this.result.span, seconds }
    };
  }
}

/** Estimates a whole log given as text. */
export function estimate(policy: Policy, log: string): Estimate {
  const estimator = new Estimator(policy);

  for (const line of log.split('\n')) {
    estimator.addLine(line);
  }

  return estimator.finish();
}
