export * from './model';
export * from './tf-backend';
