import { apiConfig } from '@arc-failover/shared/serverless/api-config';

export default apiConfig('service1');
