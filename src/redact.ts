/** Connection URLs as logs and error messages show them. */

/**
 * The URL without its password (`***` in its place). An unparsable URL is not echoed — it may hold a password
 * the parser could not find — but shown as `${scheme}(unparsable URL)`.
 */
export function redactUrl(url: string, scheme = ""): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return `${scheme}(unparsable URL)`;
  }
}
