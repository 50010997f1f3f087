/** One failing field of bad input, as a 422 reply lists it in `issues`: where (path segments), why, and zod's code. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
  code: string;
}
