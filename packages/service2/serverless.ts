import { apiConfig } from '@arc-failover/shared/serverless';

export default apiConfig('service2');
