export * from './regions';
export * from './topology';
export * from './naming';
export * from './handler';
export * from './failover';
