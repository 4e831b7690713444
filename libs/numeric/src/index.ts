export * from './rng';
export * from './matrix';
export * from './immutable-matrix';
export * from './cholesky';
export * from './stats';
