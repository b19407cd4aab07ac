/** An access key: what the data-plane client signs with, the bookmark carries for the sandbox, the emulator accepts. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
