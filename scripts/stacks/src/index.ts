export { deployablePackages, REPO_ROOT, type DeployablePackage } from './deployables';
export { packageStack, type PackagedStack } from './package';
export { SLS } from './sls';
export { withDirectoryLock } from './lock';
export { resolveIntrinsics, resolveString, TemplateError, type StackContext } from './intrinsics';
export { unzip, ZipError } from './zip';
