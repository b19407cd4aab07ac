/** One API after `sls package`: its compiled template, and each code package (by S3Key base name) unpacked. */
export interface PackagedApi {
  name: string;
  template: unknown;
  /** Directory of each unpacked code package, by its file name (e.g. service1.zip). */
  codeDirs: Record<string, string>;
}
