import type { APIGatewayProxyResultV2 } from 'aws-lambda';

export interface RegionReply {
  service: string;
  region: string;
}

/** A handler that says which service and which Region answered: what a failover test needs to see. */
export function regionReplyHandler(service: string): () => Promise<APIGatewayProxyResultV2> {
  return async () => {
    const reply: RegionReply = { service, region: process.env.AWS_REGION ?? 'unknown' };
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(reply),
    };
  };
}
