// Plain JavaScript so that the PGlite worker thread (pglite-worker.mjs) loads it without a TypeScript loader.
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 };
const toIso = (v) => new Date(v.includes("+") || v.endsWith("Z") ? v : `${v}Z`).toISOString();

/** Money stays a decimal string end to end; dates stay YYYY-MM-DD; timestamps are UTC ISO strings. */
export const parsers = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => v,
  [OID.date]: (v) => v,
  [OID.timestamp]: toIso,
  [OID.timestamptz]: (v) => toIso(v.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")),
};
