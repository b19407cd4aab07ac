import type { BookmarkService } from '../../src/bookmark';
import { testApi } from '../fixtures/api';

/** An API of a version 2 bookmark, primary us-east-1 and secondary us-west-2, with these Regional URLs. */
export function apiWith(
  name: string,
  urls: Partial<Record<'us-east-1' | 'us-west-2', string>> | undefined,
  healthPath?: string,
): BookmarkService {
  const regions = urls && Object.fromEntries(Object.entries(urls).map(([region, url]) => [region, { url }]));
  return testApi(name, regions, healthPath);
}
