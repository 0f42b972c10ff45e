export * from './k8s';
export * from './snapshot';
export * from './probe';
export * from './chain';
