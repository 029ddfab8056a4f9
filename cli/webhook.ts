/** `audit-policy check-webhook`: a webhook kubeconfig checked alone, as kube-apiserver loads it (delivery/kubeconfig.ts). */
import { checkKubeconfig, KubeconfigProblem, shownServer, webhookForm } from '../pkg/cluster-audit-log/delivery';
import { command } from './args';
import { inputLabel, Io, oneLine, readText } from './io';

const plain = (p: KubeconfigProblem) => ({ field: p.field, message: p.message });

/**
 * `check-webhook KUBECONFIG`: exit 0 when kube-apiserver would start with it as --audit-webhook-config-file, 1 when not.
 * What it prints never holds the token, a key or certificate data.
 */
export const checkWebhook = command('check-webhook KUBECONFIG [--json]', 'load KUBECONFIG as kube-apiserver loads its audit webhook\'s; exit 0 usable, 1 not', { json: { type: 'boolean' } }, 1, async({ values, positionals: [file] }, io: Io) => {
  const text = await readText(file, io);
  const { errors, warnings } = checkKubeconfig(text);
  const usable = !errors.length;

  if (values.json) {
    io.stdout(`${ JSON.stringify({
      usable, errors: errors.map(plain), warnings: warnings.map(plain)
    }) }\n`);
  } else {
    for (const e of errors) {
      io.stdout(`error: ${ e.field }: ${ oneLine(e.message) }\n`);
    }
    for (const w of warnings) {
      io.stdout(`warning: ${ w.field }: ${ oneLine(w.message) }\n`);
    }
    const form = webhookForm(text);

    io.stdout(usable ? `${ file }: usable (server ${ shownServer(form.server) }, authentication: ${ form.auth })\n` : `${ file }: NOT usable\n`);
  }
  if (!usable) {
    io.stderr(`audit-policy: ${ inputLabel(file) }: kube-apiserver would not start with this webhook kubeconfig: ${ oneLine(errors[0].message) }\n`);
  }

  return usable ? 0 : 1;
});
