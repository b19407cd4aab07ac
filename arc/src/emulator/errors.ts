/**
 * The errors of the route53-recovery-cluster API as they travel on the wire: an HTTP status, a JSON 1.0
 * body `{"__type", "message", ...members}` and the `x-amzn-ErrorType` header. Member names and statuses
 * follow the service's Smithy model; the SDK reads `__type` and the body members.
 */
export class ArcError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly members: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
  }

  body(): Record<string, unknown> {
    return { __type: this.type, message: this.message, ...this.members };
  }
}

export type ValidationReason = 'unknownOperation' | 'cannotParse' | 'fieldValidationFailed' | 'other';
export interface ValidationField {
  name: string;
  message: string;
}

export type ResourceType = 'RoutingControl' | 'ControlPanel' | 'SafetyRule';

const SERVICE_CODE = 'route53-recovery-cluster';

export const arcErrors = {
  accessDenied: (message: string) => new ArcError('AccessDeniedException', 403, message),

  conflict: (message: string, resourceId: string, resourceType: ResourceType) =>
    new ArcError('ConflictException', 409, message, { resourceId, resourceType }),

  endpointUnavailable: (region: string) =>
    new ArcError(
      'EndpointTemporarilyUnavailableException',
      503,
      `The cluster endpoint in ${region} is temporarily unavailable. Try another cluster endpoint.`,
    ),

  internal: (retryAfterSeconds: number) =>
    new ArcError(
      'InternalServerException',
      500,
      'There was an unexpected error during processing of the request.',
      { retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    ),

  notFound: (resourceId: string, resourceType: ResourceType) =>
    new ArcError(
      'ResourceNotFoundException',
      404,
      `${resourceType} ${resourceId} does not exist in this cluster`,
      {
        resourceId,
        resourceType,
      },
    ),

  serviceLimit: (message: string, limitCode: string) =>
    new ArcError('ServiceLimitExceededException', 402, message, { limitCode, serviceCode: SERVICE_CODE }),

  throttling: (retryAfterSeconds: number) =>
    new ArcError(
      'ThrottlingException',
      429,
      'Rate exceeded',
      { retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    ),

  validation: (reason: ValidationReason, message: string, fields?: ValidationField[]) =>
    new ArcError('ValidationException', 400, message, fields ? { reason, fields } : { reason }),

  // Authentication is checked by the AWS front end before the service sees the request: these errors are
  // not in the service's model, so the SDK surfaces them as its generic service exception, named by __type.
  missingAuthenticationToken: () =>
    new ArcError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),

  unrecognizedClient: () =>
    new ArcError(
      'UnrecognizedClientException',
      403,
      'The security token included in the request is invalid.',
    ),

  // The route53-recovery-cluster model names no error for an oversized body: the AWS front end refuses it
  // before the service, as for authentication. AWS JSON-protocol services answer 413 with this __type (the
  // front end's com.amazon.coral.service#RequestEntityTooLargeException, e.g. for SQS's JSON protocol; the
  // Lambda and IoT Data models carry the same 413 error), and the SDK and CLI surface it by that name.
  requestEntityTooLarge: (limit: number) =>
    new ArcError(
      'RequestEntityTooLargeException',
      413,
      `Request Entity Too Large: the request body is over ${limit} bytes`,
    ),

  invalidSignature: (message: string) => new ArcError('InvalidSignatureException', 403, message),

  incompleteSignature: (message: string) => new ArcError('IncompleteSignatureException', 403, message),
};
