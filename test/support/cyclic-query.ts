/**
 * The query of issue 12: institutions → partnerships → parties → partnerships …, 1.8 KB, within depth 12 and
 * 30 aliases. Before lists had sizes it was priced 95 and answered 63 MB in 29 s on the demo data.
 */
export function cyclicQuery(): string {
  const aliased = (field: string, inner: string) =>
    Array.from({ length: 5 }, (_, i) => `${field[0]}${i}: ${field} { ${inner} }`).join(" ");
  const inner = aliased("parties", "partnerships { partnership { id title } }");
  const outer = aliased("parties", `partnerships { partnership { ${inner} } }`);
  return `{ institutions(first: 100) { edges { node { partnerships { partnership { ${outer} } } } } } }`;
}
