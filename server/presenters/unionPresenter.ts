/** A Union as its installation operator sees it: names, province, state, number of accounts. */

type UnionRow = {
  id: string;
  slug: string;
  name: string;
  shortName: string;
  province: string | null;
  suspendedAt: Date | null;
  createdAt: Date;
  accounts?: number;
};

/** The JSON of a Union for the operator API and page. */
export function presentUnion(o: UnionRow) {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    shortName: o.shortName,
    province: o.province,
    status: o.suspendedAt ? ("suspended" as const) : ("active" as const),
    suspendedAt: o.suspendedAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
    ...(o.accounts === undefined ? {} : { accounts: Number(o.accounts) }),
  };
}
