import { apiConfig } from '@arc-failover/shared/serverless';

export { serviceProxies as resources } from '@arc-failover/shared/serverless';

export default apiConfig('external-api', { resources: '${topology:resources}' });
