/** Type OID to a parser of the value's text form, for pg and PGlite alike. */
export declare const parsers: Record<number, (v: string) => unknown>;
