export * from './errors';
export * from './auth';
export * from './campaigns';
export * from './labeling';
export * from './models';
export * from './exports';
export * from './simulations';
export * from './stats';
