export * from './messages';
export * from './pool';
