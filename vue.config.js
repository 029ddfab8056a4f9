// The dashboard app (`yarn dev`, `yarn build`): @rancher/shell's configuration with every package of pkg/ built in,
// except those named in EXCLUDE_PKGS (comma-separated), which the dashboard then loads as built packages the way
// Rancher does (the browser suite's packaged mode and `yarn bench`). PORT moves the dev server (vue-cli reads it);
// its live-reload socket follows, so a second dev server never listens to the first one's rebuilds.
const config = require('@rancher/shell/vue.config'); // eslint-disable-line @typescript-eslint/no-var-requires

const excludes = (process.env.EXCLUDE_PKGS || '').split(',').map((name) => name.trim()).filter(Boolean);
const app = config(__dirname, { excludes });

if (process.env.PORT && app.devServer?.client?.webSocketURL) {
  app.devServer.client.webSocketURL.port = Number(process.env.PORT);
}

module.exports = app;
