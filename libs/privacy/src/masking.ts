/** 张三 → 张*, 张三明 → 张*明, 欧阳明月 → 欧**月: keeps the surname and last character, as notices in China do. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length);
}

/** maskName in SQL, for statements that mask names on their way out (the same rule, kept beside it). */
export function maskNameSql(column: string): string {
  return `CASE WHEN char_length(${column}) <= 1 THEN '*'
               WHEN char_length(${column}) = 2 THEN left(${column}, 1) || '*'
               ELSE left(${column}, 1) || repeat('*', char_length(${column}) - 2) || right(${column}, 1) END`;
}
