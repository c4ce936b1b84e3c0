/**
 * A GraphQL enum's `valuesMap` whose descriptions are its values' labels (the Chinese words the console shows), for
 * `registerEnumType(E, { name, description, valuesMap: describedValues(E_LABEL_ZH) })`.
 */
export function describedValues<Value extends string>(labels: Readonly<Record<Value, string>>): Record<Value, { description: string }> {
  return Object.fromEntries(Object.entries<string>(labels).map(([value, label]) => [value, { description: label }])) as Record<
    Value,
    { description: string }
  >;
}
