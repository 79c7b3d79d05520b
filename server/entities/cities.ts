import { CITY_PATTERN } from "../../domain/index";

/** A city field: a GB/T 2260 code (the known ones are listed in domain/cities.ts). */
export const citySchema = { type: "string", pattern: CITY_PATTERN, title: "City (GB/T 2260)" } as const;
