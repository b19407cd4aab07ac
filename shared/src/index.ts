export * from './regions';
export * from './topology';
export * from './naming';
export * from './failover';
export * from './process';
export { describeArcStack, outputsOf } from './arc-stack';
export { projectCommand, REPO_ROOT, runProjectCommand } from './project-command';
