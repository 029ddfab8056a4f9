/** A rule in words, for its card: "Log secrets, configmaps at Metadata for everyone". Text only, via t(). */
import type { PolicyRule } from '../policy';
import type { Translate } from '../composables/useT';

type T = Translate;

function list(items: string[]): string {
  return items.join(', ');
}

/** Summarises one rule with the translation function `t`. */
export function summarizeRule(rule: PolicyRule, t: T): string {
  const parts: string[] = [];

  if (rule.nonResourceURLs?.length) {
    parts.push(t('clusterAuditLog.summary.nonResource', { urls: list(rule.nonResourceURLs) }));
  } else if (rule.resources?.length) {
    const names = rule.resources.flatMap((gr) => {
      const group = gr.group || '';
      const suffix = group && group !== '' ? `.${ group }` : '';

      if (!gr.resources?.length) {
        return [group === '*' ? t('clusterAuditLog.summary.allResources') : `*${ suffix || ` (${ t('clusterAuditLog.form.core') })` }`];
      }

      return gr.resources.map((r) => `${ r }${ suffix }${ gr.resourceNames?.length ? ` [${ list(gr.resourceNames) }]` : '' }`);
    });

    parts.push(t('clusterAuditLog.summary.resources', { resources: list(names) }));
  } else {
    parts.push(rule.namespaces?.length ? t('clusterAuditLog.summary.allResources') : t('clusterAuditLog.summary.everything'));
  }
  if (rule.namespaces?.length) {
    parts.push(t('clusterAuditLog.summary.inNamespaces', { namespaces: list(rule.namespaces.map((n) => n || t('clusterAuditLog.summary.clusterScoped'))) }));
  }
  if (rule.verbs?.length) {
    parts.push(t('clusterAuditLog.summary.verbs', { verbs: list(rule.verbs) }));
  }
  const what = parts.join(' ');
  const who = [...(rule.users || []), ...(rule.userGroups || [])];
  const whom = who.length ? t('clusterAuditLog.summary.forUsers', { who: list(who) }) : t('clusterAuditLog.summary.forEveryone');

  return rule.level === 'None' ? `${ t('clusterAuditLog.summary.skip', { what }) } ${ whom }` : `${ t('clusterAuditLog.summary.log', { what, level: rule.level || '?' }) } ${ whom }`;
}
