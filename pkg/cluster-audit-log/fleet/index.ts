/** The fleet status model: pure TS, no Vue, no store. Used by the Cluster Management page and `audit-policy report`. */
export * from './types';
export * from './problems';
export * from './fingerprint';
export * from './verdicts';
export * from './rotation';
export * from './lookup';
export * from './policies';
export * from './status';
export * from './world';
export * from './csv';
export * from './columns';
