/**
 * A name MLflow accepts in a metric or param key (letters, digits, `_ - . /` and spaces): anything else, such as
 * `&` in `Sci&Tech`, becomes `_`; spaces become `_` too so keys stay easy to filter on.
 */
export function metricKeyPart(name: string): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9_\-./]/g, "_");
  return cleaned.length > 0 ? cleaned : "_";
}
