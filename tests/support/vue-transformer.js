// @vue/vue3-jest, with TypeScript registered in @vue/compiler-sfc so that `defineProps<Props>()` can resolve a
// `Props` type imported from another file (otherwise: "No fs option provided to `compileScript` in non-Node
// environment"). The shell's own <script setup> components (RcSeparator, ...) need this too.
const { registerTS } = require('@vue/compiler-sfc');

registerTS(() => require('typescript'));

module.exports = require('@vue/vue3-jest');
