/**
 * The page's export (fleet/export.ts): CSV with the report's columns for the rows shown, JSON with the context,
 * the rows shown and the policies they read, and the file names.
 */
import { CLUSTER_COLUMNS } from '@pkg/fleet';
import { exportCsv, exportFileName, exportJson } from '@pkg/fleet/export';
import { clusterRows, filterRows } from '@pkg/fleet/rows';
import { pageFleet } from './page-world';

const { world, status } = pageFleet();
const CONTEXT = {
  readAt: '2026-11-24T09:05:03.123Z', filter: 'failing-cis', search: '', server: 'https://rancher.example'
};

describe('exportCsv', () => {
  it('one record per row shown, the report\'s columns, CRLF', () => {
    const shown = filterRows(clusterRows(status, world), 'failing-cis').map((r) => r.status);
    const lines = exportCsv(shown).split('\r\n');

    expect(lines[0]).toBe(CLUSTER_COLUMNS.map((c) => c.header).join(','));
    expect(lines).toHaveLength(shown.length + 2);
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(shown.map((c) => c.name));
    expect(lines[lines.length - 1]).toBe('');
  });
});

describe('exportJson', () => {
  it('the context, the rows shown, and the policies they read or no cluster reads', () => {
    const shown = status.clusters.filter((c) => ['fleet-0009', 'fleet-0001'].includes(c.name));
    const json = JSON.parse(exportJson(CONTEXT, shown, status.policies));

    expect(json).toMatchObject(CONTEXT);
    expect(json.clusters).toEqual(JSON.parse(JSON.stringify(shown)));
    expect(json.policies.map((p: { name: string }) => p.name)).toEqual(['fleet-shared-audit-policy-1']);
  });

  it('all rows: every policy', () => {
    expect(JSON.parse(exportJson(CONTEXT, status.clusters, status.policies)).policies).toHaveLength(status.policies.length);
  });
});

describe('exportFileName', () => {
  it.each([
    ['2026-11-24T09:05:03.123Z', 'csv', 'cluster-audit-log-20261124-090503.csv'],
    ['2026-01-02T23:59:59Z', 'json', 'cluster-audit-log-20260102-235959.json'],
  ] as const)('%s %s', (at, ext, want) => {
    expect(exportFileName(at, ext)).toBe(want);
  });
});
