import { CITY_PATTERN } from "../../domain/index";

/** A city field: a GB/T 2260 province- or prefecture-level code (domain/cities.ts lists them: format "city"). */
export const citySchema = { type: "string", pattern: CITY_PATTERN, format: "city", title: "City (GB/T 2260)" } as const;
