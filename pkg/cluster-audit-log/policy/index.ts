/** The audit-policy engine: pure TypeScript, no Vue, no store. Used by the tab, the delivery plan and the CLI. */
export * from './types';
export * from './read';
export * from './validate';
export * from './write';
export * from './evaluate';
export * from './lint';
export * from './presets';
export * from './estimate';
export * from './encoding';
export * from './edit';
export * from './messages';
