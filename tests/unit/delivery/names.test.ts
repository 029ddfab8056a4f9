/**
 * The name checks against apimachinery's pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain,
 * IsConfigMapKey, IsQualifiedName, IsValidLabelValue) and the node file path rule.
 */
import {
  cleanPath, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isNodeFilePath, isQualifiedName, isValidLabelValue
} from '@pkg/delivery/names';

type Row = [check: (v: string) => string[], value: string, firstError: string | null];

const rows: Row[] = [
  [isDNS1123Label, 'c-1', null],
  [isDNS1123Label, 'c,victim', "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
  [isDNS1123Label, 'a.b', 'a DNS-1123 label must consist'],
  [isDNS1123Label, 'A', 'a DNS-1123 label must consist'],
  [isDNS1123Label, 'a'.repeat(63), null],
  [isDNS1123Label, 'a'.repeat(64), 'must be no more than 63 characters'],
  [isDNS1123Label, '', 'a DNS-1123 label must consist'],
  [isDNS1123Subdomain, 'audit-policy.prod', null],
  [isDNS1123Subdomain, 'a'.repeat(253), null],
  [isDNS1123Subdomain, 'a'.repeat(254), 'must be no more than 253 characters'],
  [isDNS1123Subdomain, 'Audit', "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
  [isDNS1123Subdomain, 'a..b', 'a DNS-1123 subdomain must consist'],
  [isDNS1123Subdomain, '<img src=x>', 'a DNS-1123 subdomain must consist'],
  [isConfigMapKey, 'audit-policy.yaml', null],
  [isConfigMapKey, 'Audit_Policy', null],
  [isConfigMapKey, 'catalog/x', "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
  [isConfigMapKey, '.', "must not be '.'"],
  [isConfigMapKey, '..', "must not be '..'"],
  [isConfigMapKey, '..x', "must not start with '..'"],
  [isConfigMapKey, '', 'a valid config key must consist'],
  [isQualifiedName, 'rke.cattle.io/control-plane-role', null],
  [isQualifiedName, 'role', null],
  [isQualifiedName, 'foo bar', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
  [isQualifiedName, '', 'name part must be non-empty'],
  [isQualifiedName, '/x', 'prefix part must be non-empty'],
  [isQualifiedName, 'A.b/x', 'prefix part a DNS-1123 subdomain must consist'],
  [isQualifiedName, 'a/b/c', 'a qualified name must consist'],
  [isQualifiedName, 'x'.repeat(64), 'name part must be no more than 63 characters'],
  [isValidLabelValue, 'true', null],
  [isValidLabelValue, '', null],
  [isValidLabelValue, 'a b', "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
  [isValidLabelValue, '-x', 'a valid label must be an empty string'],
  [isNodeFilePath, '/etc/rancher/audit/policy.yaml', null],
  [isNodeFilePath, 'etc/policy.yaml', 'must be an absolute path'],
  [isNodeFilePath, '/', "must not be '/'"],
  [isNodeFilePath, '/etc/a\nb', 'must be one line, without NUL characters'],
  [isNodeFilePath, '/etc//a', "must be a clean path (no '//', '/./', '/../' or trailing '/'): \"/etc/a\""],
  [isNodeFilePath, '/etc/../a', 'must be a clean path'],
  [isNodeFilePath, '/etc/./a', 'must be a clean path'],
  [isNodeFilePath, '/etc/a/', 'must be a clean path'],
  [isNodeFilePath, '/etc/a..b/.c', null],
];

describe('name checks (apimachinery validation.go messages)', () => {
  it.each(rows)('%p(%j) -> %s', (check, value, firstError) => {
    const errs = check(value);

    if (firstError === null) {
      expect(errs).toEqual([]);
    } else {
      expect(errs[0]).toContain(firstError);
    }
  });

  it.each([['/a/b/../c', '/a/c'], ['/a//b/./', '/a/b'], ['/..', '/']])('cleanPath(%j) = %j', (input, want) => {
    expect(cleanPath(input)).toBe(want);
  });
});
