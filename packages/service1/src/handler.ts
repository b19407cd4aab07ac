import { regionReplyHandler } from '@arc-failover/shared/handler';

export const handler = regionReplyHandler('service1');
