import { apiConfig } from '@arc-failover/shared/serverless/api-config';

export { serviceProxies as resources } from '@arc-failover/shared/serverless/service-proxies';

export default apiConfig('external-api', { resources: '${topology:resources}' });
