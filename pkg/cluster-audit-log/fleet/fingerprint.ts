/**
 * A policy's identity across the fleet: a short hash of the policy kube-apiserver decodes, normalized
 * (normalizePolicy: known fields in Go field order), so that layout, comments, quoting, flow or block lists and
 * JSON or YAML do not split a group. `metadata` is left out (kube-apiserver ignores it: RKE1 writes
 * `creationTimestamp: null` into the same policy). What the load reports (dropped fields, errors) is part of
 * the identity, so one fingerprint always has one lint verdict. Text that does not decode at all is
 * identified by its bytes.
 */
import { sha256, utf8Bytes } from '../delivery/sha256';
import { PRESETS } from '../policy/presets';
import type { LoadResult } from '../policy/read';
import type { Policy } from '../policy/types';
import { normalizePolicy } from '../policy/write';

/** Hex digits of the SHA-256 kept: 48 bits, no collision expected among a fleet's few distinct policies. */
export const FINGERPRINT_LENGTH = 12;

/** The first FINGERPRINT_LENGTH hex digits of the SHA-256 of the text's UTF-8 bytes. */
export function shortHash(text: string): string {
  let hex = '';

  for (const byte of sha256(utf8Bytes(text)).subarray(0, FINGERPRINT_LENGTH / 2)) {
    hex += byte.toString(16).padStart(2, '0');
  }

  return hex;
}

const said = (d: { path: string, message: string }) => [d.path, d.message];

/** What the fingerprint hashes: the normalized policy without metadata, with what the load reported. */
function canonical(loaded: Pick<LoadResult, 'policy' | 'errors' | 'warnings'>, text: string): string {
  if (!loaded.policy) {
    return `undecodable\n${ text }`;
  }
  const { metadata: _ignored, ...policy } = normalizePolicy(loaded.policy);

  return JSON.stringify({
    policy, errors: loaded.errors.map(said), warnings: loaded.warnings.map(said)
  });
}

/** The fingerprint of a policy text, given what readPolicy made of it. */
export function policyFingerprint(loaded: Pick<LoadResult, 'policy' | 'errors' | 'warnings'>, text: string): string {
  return shortHash(canonical(loaded, text));
}

let presetIds: Map<string, string> | undefined;

/** The id of the preset with this fingerprint, or null. */
export function presetOf(fingerprint: string): string | null {
  presetIds ??= new Map(PRESETS.map((p) => [policyFingerprint({
    policy: p.policy as Policy, errors: [], warnings: []
  }, ''), p.id]));

  return presetIds.get(fingerprint) ?? null;
}
