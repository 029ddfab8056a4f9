/**
 * Never a stack trace on a hostile WORLD (fast-check): the generated fleet with values anywhere in it replaced by
 * nulls, numbers, strings, lists and maps. Either readWorld refuses it with one line, or fleetStatus reads it
 * without throwing; `report` on it ends with exit 0, 1 or 2 and at most one line on stderr, never an internal error.
 */
import fc from 'fast-check';
import { fleetStatus, readWorld } from '@pkg/fleet';
import { fleetList, fleetWorld } from '../../rancher/fleet-seed';
import { cli } from '../cli/run-cli';

const BASE = JSON.stringify(fleetList(fleetWorld(20)));
const JUNK = [null, 0, -1, 1.5, 'x', '', ' c', '=1', 'audit-policy-file=/x', [], [null], ['x'], {}, { a: null }, true];

/** The world with `edits` applied: each replaces the value at one place (chosen by index) with a junk value. */
function mutated(edits: [place: number, junk: number][]): string {
  const value = JSON.parse(BASE);

  for (const [place, junk] of edits) {
    const slots: [Record<string, unknown>, string][] = [];
    const stack: unknown[] = [value];

    while (stack.length) {
      const node = stack.pop();

      if (node && typeof node === 'object') {
        for (const key of Object.keys(node)) {
          slots.push([node as Record<string, unknown>, key]);
          stack.push((node as Record<string, unknown>)[key]);
        }
      }
    }
    const [holder, key] = slots[place % slots.length];

    holder[key] = JUNK[junk % JUNK.length];
  }

  return JSON.stringify(value);
}

const edits = fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 });

describe('a hostile world', () => {
  it('is refused by readWorld or read by fleetStatus without throwing', () => {
    fc.assert(fc.property(edits, (e) => {
      const read = readWorld(mutated(e));

      if (read.ok) {
        fleetStatus(read.world);
      } else {
        expect(read.error).not.toMatch(/\n/);
      }
    }), { numRuns: 300 });
  });

  it('report exits 0, 1 or 2 with at most one line on stderr, never an internal error', async() => {
    await fc.assert(fc.asyncProperty(edits, async(e) => {
      const got = await cli(['report', '-', '--json'], mutated(e));

      expect([0, 1, 2]).toContain(got.code);
      expect(got.err).toMatch(/^(?:audit-policy: [^\n]*\n)?$/);
      expect(got.err).not.toContain('internal error');
    }), { numRuns: 40 });
  });
});
