export * from './bookmark';
