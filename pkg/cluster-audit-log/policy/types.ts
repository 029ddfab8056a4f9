/**
 * audit.k8s.io/v1 types, mirroring k8s.io/apiserver pkg/apis/audit/v1/types.go.
 * Field names and JSON keys are the API's own so users can search what they see.
 */
import type { Coded } from './messages';

export const AUDIT_API_VERSION = 'audit.k8s.io/v1';
export const POLICY_KIND = 'Policy';

/** Levels in increasing order of what they record. */
export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = typeof LEVELS[number];

/** Stages in the order validation.go lists them (and prints them in its message). */
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = typeof STAGES[number];

/** The verbs kube-apiserver's request info resolver produces. */
export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy'] as const;

export interface GroupResources {
  /** API group; "" (or omitted) is the core group only, "*" any group. */
  group?: string;
  /** Resources, "resource/subresource", "*", "*\/sub" or "res/*". Empty = every resource of the group. */
  resources?: string[];
  /** Object names; needs resources. */
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level | string;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: (Stage | string)[];
  omitManagedFields?: boolean;
}

export interface ObjectMeta {
  [key: string]: unknown;
}

export interface Policy {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta | null;
  rules: PolicyRule[];
  omitStages?: (Stage | string)[];
  omitManagedFields?: boolean;
}

/**
 * One problem, addressed the way kube-apiserver addresses it (`rules[2].nonResourceURLs[0]`): a message code with
 * its parameters (kube-apiserver's and go-yaml's own texts as `kube.verbatim`) and the English text.
 */
export interface Diagnostic extends Coded {
  path: string;
  /** 1-based position in the source text, when known. */
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A lint finding: advice on a loadable policy (not a load error), as a message code with its English text. */
export interface Finding extends Coded {
  id: string;
  severity: Severity;
  path: string;
  line?: number;
  column?: number;
}

/**
 * The request attributes the policy checker sees (authorizer.Attributes).
 * `user: null` is a request without a user: rules with users or userGroups never match it.
 */
export interface RequestAttributes {
  user: string | null;
  groups: string[];
  verb: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
  resourceRequest: boolean;
}

/** What the checker decides for one request (auditinternal.RequestAuditConfig plus the rule index). */
export interface RequestAuditConfig {
  level: Level;
  omitStages: Stage[];
  omitManagedFields: boolean;
  /** Index of the first matching rule, or null when no rule matched (level None). */
  rule: number | null;
}

/** Compare two levels: negative when a records less than b. */
export function compareLevels(a: Level, b: Level): number {
  return LEVELS.indexOf(a) - LEVELS.indexOf(b);
}

/** True for one of the four audit levels. */
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True for one of the four audit stages. */
export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}
