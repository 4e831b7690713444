export * from './pool';
export * from './chart';
export * from './report';
export * from './simulate-command';
export { main, buildProgram, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './main';
